import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3UploadSigner } from "../lib/adapters/s3UploadSigner.ts";
import { loadCycle } from "../lib/config/cycleStore.ts";
import { DevAuthenticator } from "../lib/console/devAuthenticator.ts";
import { type ConsoleServer, startConsoleServer } from "../lib/console/nodeServer.ts";
import { draftKey, draftRecordSchema } from "../lib/console/setup/draftStore.ts";
import { readDraftShape } from "../lib/console/setup/mergeGroup.ts";
import { todoFields } from "../lib/console/setup/todoFields.ts";
import { type PostPolicyGate, startPostPolicyGate } from "../lib/local/postPolicyGate.ts";
import { launchChromium } from "../lib/render/launchChromium.ts";
import type { CycleConfig } from "../lib/survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../lib/survey/config/parseCycleConfig.ts";
import { axeViolations, sidewaysScroll } from "./support/axe.ts";
import { recordingLogger, useLocalRuntime } from "./support/harness.ts";

// Issue 23's "Done when": an empty local runtime, taken through the console alone by the survey
// team, from no cycle to a downloaded report PDF whose Table 6 is the published one. The cycle is
// drafted from the leads' export, the assessors' and NQSWs' exports are added to the draft, its
// questions are answered with the published cycle file's values, each export is staged, checked
// and used, and the results recomputed. The steps share one browser page, in order.
const runtime = useLocalRuntime();
const log = recordingLogger();
const FOLDER = "examples/asye-cf-2025";
const EXAMPLE = parseCycleConfig(readFileSync(`${FOLDER}/cycle.json`, "utf8"), "cycle.json");
const GROUPS = ["leads", "assessors", "nqsws"] as const;
/** The published report's Table 6 (tests/report.test.ts): group, delivered, child and family only, both, response rate. */
const TABLE_6 = [
  ["ASYE leads", "257", "32", "20", "20%"],
  ["ASYE assessors", "1008", "66", "14", "8%"],
  ["NQSWs", "1535", "116", "2", "8%"],
];

let server: ConsoleServer;
let gate: PostPolicyGate;
let browser: Browser;
let page: Page;
let draftId = "";
const violations: Record<string, string[]> = {};
const timings: Record<string, number> = {};

beforeAll(async () => {
  const { store, stack } = runtime();
  // Compute runs on each accepted upload without the PDF; the Recompute button prints it.
  runtime().renderPdf(false);
  gate = await startPostPolicyGate(stack.clients.s3, stack.bucket);
  const { handler } = await import("../functions/compute.ts");
  server = await startConsoleServer({
    store,
    ledger: runtime().ledger,
    log,
    authenticator: new DevAuthenticator(),
    sessionKey: randomBytes(32),
    now: () => new Date(),
    uploadSigner: new S3UploadSigner(stack.clients.s3, stack.bucket, gate.url),
    requestRecompute: async (cycleId) => void (await handler({ cycleId })),
  });
  browser = await launchChromium();
  // axe is injected as a script, which the console's own CSP forbids: this context lets it in.
  page = await browser.newPage({ bypassCSP: true, viewport: { width: 1000, height: 900 }, acceptDownloads: true });
  mkdirSync("test-artifacts", { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await gate?.close();
});

/** axe's findings on the page as it is, and its screenshot (test-artifacts/console-journey-{name}.png). */
async function look(name: string): Promise<void> {
  violations[name] = await axeViolations(page);
  await page.screenshot({ path: `test-artifacts/console-journey-${name}.png`, fullPage: true });
}

/** Presses Tab until the focused element matches `selector` (and has `text`, when given); at most 600 presses. */
async function tabTo(selector: string, text?: string): Promise<void> {
  for (let presses = 0; presses < 600; presses++) {
    const focused = await page.evaluate(
      ([wanted, words]) => {
        const element = (globalThis as unknown as { document: { activeElement: { matches(s: string): boolean; textContent: string | null } | null } }).document.activeElement;
        return element?.matches(wanted) === true && (words === "" || (element.textContent ?? "").trim() === words);
      },
      [selector, text ?? ""] as const,
    );
    if (focused) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector} ${text ?? ""}`);
}

/**
 * Follows a link or presses a button reached with Tab, by Enter, and waits for the page it leads
 * to: up to 100 s, inside the test's 120, since Recompute prints the report (twice, for its page
 * numbers) before it answers, which takes over Playwright's default 30 s on one core.
 */
async function press(selector: string, url: RegExp, text?: string): Promise<void> {
  await tabTo(selector, text);
  await Promise.all([page.waitForURL(url, { timeout: PAGE_WAIT_MS }), page.keyboard.press("Enter")]);
}

const PAGE_WAIT_MS = 100_000;

/** The published cycle's item with one of these columns (any group), if any. */
function exampleItem(columns: Record<string, string>): CycleConfig["questionnaire"]["items"][number] | undefined {
  return EXAMPLE.questionnaire.items.find((item) => Object.entries(columns).some(([group, header]) => item.columns[group] === header));
}

function timed(name: string, started: number): void {
  timings[name] = Math.round((Date.now() - started) / 100) / 10;
  console.info(`console journey: ${name} took ${timings[name]} s`);
}

describe("the survey team's journey through the console, from no cycle to the report PDF", () => {
  it("signs in, drafts the cycle from the leads' export, and adds the assessors' and NQSWs' exports to the draft, matching their columns", async () => {
    const started = Date.now();
    await page.goto(new URL("/sign-in", server.url).href);
    await tabTo("#role");
    await page.keyboard.press("Space");
    await press("button[type=submit]", /\/cycles$/u);
    expect(await page.locator("main").innerText()).not.toContain(EXAMPLE.id);
    await press('a[href="/setup"]', /\/setup$/u);
    await tabTo("#export-file");
    await page.setInputFiles("#export-file", `${FOLDER}/exports/leads.csv`);
    await tabTo("#group");
    await page.keyboard.type("leads");
    await press('form[action="/setup/draft"] button', /\/setup\/drafts\/[A-Za-z0-9_-]{24}$/u);
    draftId = page.url().split("/").pop()!;
    await look("1-draft");
    for (const group of ["assessors", "nqsws"] as const) {
      await press('a[href$="/groups/new"]', /\/groups\/new$/u);
      if (group === "assessors") await look("2-add-group");
      await tabTo("#export-file");
      await page.setInputFiles("#export-file", `${FOLDER}/exports/${group}.csv`);
      await tabTo("#group");
      await page.keyboard.type(group);
      await press("main button[type=submit]", /\/groups\/columns$/u);
      await matchColumns(group);
      await look(`2-columns-${group}`);
      expect(await sidewaysScroll(page, 390)).toBe(0);
      violations[`columns ${group} at 390 px`] = await axeViolations(page);
      await page.screenshot({ path: `test-artifacts/console-journey-2-columns-${group}-390.png` });
      await page.setViewportSize({ width: 1000, height: 900 });
      await press("main button[type=submit]", /\/setup\/drafts\/[A-Za-z0-9_-]{24}$/u);
    }
    // The draft now holds the three groups, each published item's columns on one item.
    const record = draftRecordSchema.parse(JSON.parse((await runtime().store.getText(draftKey(draftId)))!));
    const shape = readDraftShape(record.cycle)!;
    expect(shape.groups.map((group) => group.id)).toEqual([...GROUPS]);
    for (const item of EXAMPLE.questionnaire.items) {
      expect(shape.questionnaire.items.filter((candidate) => exampleItem(candidate.columns) === item).map((candidate) => candidate.columns), item.id).toEqual([item.columns]);
    }
    expect(record.found.filter((line) => line.startsWith("Added group "))).toHaveLength(2);
    timed("drafting", started);
  });

  it("answers every question of the draft with the published cycle file's values, and sets the cycle up", async () => {
    const started = Date.now();
    await page.goto(new URL(`/setup/drafts/${draftId}`, server.url).href);
    await look("3-questions");
    expect(await sidewaysScroll(page, 390)).toBe(0);
    await page.setViewportSize({ width: 1000, height: 900 });
    const record = draftRecordSchema.parse(JSON.parse((await runtime().store.getText(draftKey(draftId)))!));
    const { values, leftOut } = journeyAnswers(record.cycle);
    await answerInPageOrder(values, leftOut);
    await tabTo('form[action^="/setup/drafts/"] button');
    const [response] = await Promise.all([page.waitForResponse((answer) => answer.request().method() === "POST"), page.keyboard.press("Enter")]);
    await page.waitForLoadState();
    // Refused, the form comes back (400) with its problems: shown here in the failure.
    expect(response.status(), response.status() === 303 ? "" : await page.locator("main").innerText()).toBe(303);
    await page.waitForURL(new RegExp(`/cycles/${EXAMPLE.id}$`, "u"), { timeout: PAGE_WAIT_MS });
    await look("4-cycle-set-up");
    const config = (await loadCycle(runtime().store, EXAMPLE.id)).config as CycleConfig;
    expect(config.groups.map((group) => [group.id, group.label, group.delivered])).toEqual(EXAMPLE.groups.map((group) => [group.id, group.label, group.delivered]));
    expect(config.questionnaire.items.map((item) => [item.id, item.columns]).sort()).toEqual(EXAMPLE.questionnaire.items.map((item) => [item.id, item.columns]).sort());
    expect(config.serviceArea).toEqual(EXAMPLE.serviceArea);
    timed("answering", started);
  });

  it("stages, checks and uses each group's export through the presigned POST, and waits for each to be accepted", async () => {
    const started = Date.now();
    await press(`a[href="/cycles/${EXAMPLE.id}/uploads"]`, /\/uploads$/u);
    for (const group of GROUPS) {
      await press(`a[href$="/groups/${group}/upload"]`, new RegExp(`/groups/${group}/upload$`, "u"));
      await tabTo("#file");
      await page.locator("#file").setInputFiles(`${FOLDER}/exports/${group}.csv`);
      await press("main button[type=submit]", new RegExp(`/groups/${group}/staged/[A-Za-z0-9_-]{22}\\?`, "u"), "Upload and check");
      const check = await page.locator("main").innerText();
      expect(check, group).toContain("Ingest would accept this file");
      if (group === "leads") await look("5-check-leads");
      await press("main button[type=submit]", /\/uploads$/u, "Use this export");
    }
    expect(await page.locator("main table").count()).toBe(GROUPS.length);
    timed("uploading", started);
  });

  it("shows each upload accepted on the what-happened page, refreshed with its link until it is (at most 100 s on a loaded machine)", async () => {
    const started = Date.now();
    const deadline = Date.now() + 100_000;
    let accepted = 0;
    while (accepted < GROUPS.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await tabTo("main a", "refresh this page");
      await Promise.all([page.waitForResponse((answer) => answer.url().endsWith("/uploads")), page.keyboard.press("Enter")]);
      await page.waitForLoadState();
      accepted = await page.locator("main table .govuk-tag--green").count();
    }
    expect(accepted, await page.locator("main").innerText()).toBe(GROUPS.length);
    // Each group's one upload accepted and current; no other state in the tables.
    expect(await page.locator("main table .govuk-tag:not(.govuk-tag--green):not(.govuk-tag--turquoise)").count()).toBe(0);
    expect(await page.locator("main table .govuk-tag--turquoise").count()).toBe(GROUPS.length);
    await look("6-what-happened");
    expect(runtime().failures).toEqual([]);
    timed("waiting for ingest", started);
  });

  it("recomputes, shows the published Table 6, and downloads the report PDF with the same Table 6", async () => {
    const started = Date.now();
    // Any compute an accepted upload started is done before the button asks for another, now with the PDF.
    await runtime().idle();
    runtime().renderPdf(true);
    await press("main button[type=submit]", new RegExp(`/cycles/${EXAMPLE.id}$`, "u"), "Recompute the results");
    const cells = (selector: string) => page.$$eval(selector, (trs) => trs.map((tr) => [...tr.children].map((cell) => (cell as unknown as { innerText: string }).innerText.trim())));
    // The cycle page's Table 6 also has each group's total, and the rate's % in its header.
    const [head] = await cells("#table-6 thead tr");
    expect(head!.at(-1)).toMatch(/%/u);
    expect(await cells("#table-6 tbody tr")).toEqual([
      ...TABLE_6.map(([group, delivered, familyOnly, both, rate]) => [group!, delivered!, familyOnly!, both!, String(Number(familyOnly) + Number(both)), rate!.replace("%", "")]),
      ["All groups", "2800", "214", "36", "250", "9"],
    ]);
    await look("7-cycle-results");
    await tabTo('a[href$="/files/report.pdf"]');
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: PAGE_WAIT_MS }), page.keyboard.press("Enter")]);
    expect(download.suggestedFilename()).toBe("report.pdf");
    const bytes = readFileSync((await download.path())!);
    const text = await pdfText(bytes);
    expect(text).toContain("Table 6: survey links delivered, responses and response rate by group");
    for (const row of TABLE_6) expect(text).toMatch(new RegExp(row.map((cell) => cell.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&")).join("\\s+"), "u"));
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((name) => [name, []])));
    expect(runtime().failures).toEqual([]);
    timed("recompute and download", started);
  });
});

/**
 * On the columns page, chooses for each column of the group's export what the published cycle
 * has: the draft's item whose columns the published item has, a new item, or (a column the
 * published cycle does not read, like ethnicity or region) left out. Each select is reached with Tab.
 */
async function matchColumns(group: string): Promise<void> {
  const selects = await page.$$eval("main select", (elements) =>
    elements.map((element) => {
      const select = element as unknown as { id: string; labels: { textContent: string | null }[]; options: { value: string; textContent: string | null }[] };
      return { id: select.id, label: select.labels[0]?.textContent ?? "", options: [...select.options].map((option) => ({ value: option.value, text: option.textContent ?? "" })) };
    }),
  );
  expect(selects.length).toBeGreaterThan(10);
  for (const select of selects) {
    const header = /^Column “(.*)”$/u.exec(select.label.trim())![1]!;
    const item = exampleItem({ [group]: header });
    const onto = item === undefined ? undefined : select.options.find((option) => Object.entries(item.columns).some(([other, column]) => other !== group && option.text.includes(`“${column}” (${other})`)));
    const value = item === undefined ? "leave-out" : (onto?.value ?? "new");
    await tabTo(`#${select.id}`);
    await page.selectOption(`#${select.id}`, value);
  }
}

/** The answers to the draft's questions from the published cycle file, by form field; and the items to leave out (the columns it does not read). */
function journeyAnswers(cycle: unknown): { values: Map<string, string[]>; leftOut: Set<string> } {
  const shape = readDraftShape(cycle)!;
  const values = new Map<string, string[]>();
  const leftOut = new Set<string>();
  const facts: Record<string, string> = { id: EXAMPLE.id, title: EXAMPLE.title, "schedule.opens": EXAMPLE.schedule.opens, "schedule.closes": EXAMPLE.schedule.closes };
  const kept = shape.questionnaire.items.filter((item) => exampleItem(item.columns) !== undefined);
  for (const field of todoFields(cycle)) {
    const [, list, index, part] = field.at as [string, string, number, string];
    if (facts[field.path] !== undefined) values.set(field.name, [facts[field.path]!]);
    else if (field.at[0] === "groups") {
      const group = EXAMPLE.groups.find((candidate) => candidate.id === shape.groups[field.at[1] as number]!.id)!;
      values.set(field.name, [String(field.at[2] === "label" ? group.label : group.delivered)]);
    } else if (list === "items") {
      const item = exampleItem(shape.questionnaire.items[index]!.columns);
      if (item === undefined) leftOut.add(`oi${index}`);
      else values.set(field.name, [part === "id" ? item.id : item.text]);
    } else if (list === "multiSelect") {
      const question = EXAMPLE.questionnaire.multiSelect.find((candidate) => candidate.options.some((option) => option.columns.leads !== undefined))!;
      values.set(field.name, [part === "id" ? question.id : question.text]);
    } else if (list === "scales" && part === "positive") {
      // Only the scales of columns left out ask which answers are positive: they go with their items.
      expect(kept.some((item) => item.scale === shape.questionnaire.scales[index]!.id), field.path).toBe(false);
    } else throw new Error(`the journey has no answer for ${field.path}`);
  }
  return { values, leftOut };
}

/** Types each answer in the form's order (Tab to each field; replacing what the draft proposed when it differs) and ticks each item to leave out with Space. */
async function answerInPageOrder(values: ReadonlyMap<string, string[]>, leftOut: ReadonlySet<string>): Promise<void> {
  const ids = await page.$$eval('form[action^="/setup/drafts/"] input:not([type=hidden]), form[action^="/setup/drafts/"] textarea', (elements) => elements.map((element) => (element as unknown as { id: string }).id));
  for (const id of ids) {
    const name = id.slice(2);
    if (leftOut.has(name)) {
      await tabTo(`#${id}`);
      await page.keyboard.press("Space");
      continue;
    }
    const given = values.get(name);
    if (given === undefined || (await page.inputValue(`#${id}`)) === given.join("\n")) continue;
    await tabTo(`#${id}`);
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(given.join("\n"));
  }
}

/** The PDF's text, page by page, each page's pieces joined by spaces (as tests/report.test.ts reads it). */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const texts: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    texts.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  return texts.join("\n");
}
