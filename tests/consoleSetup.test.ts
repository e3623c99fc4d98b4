import { randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCycle } from "../lib/config/cycleStore.ts";
import { parseAnyCycle } from "../lib/config/parseAnyCycle.ts";
import { DevAuthenticator } from "../lib/console/devAuthenticator.ts";
import { escapeHtml } from "../lib/console/html.ts";
import { consoleRequestFromUrlEvent } from "../lib/console/lambdaEvent.ts";
import { type ConsoleServer, startConsoleServer } from "../lib/console/nodeServer.ts";
import { draftKey, draftRecordSchema } from "../lib/console/setup/draftStore.ts";
import { CYCLE_FILE_MAX_BYTES, readMultipart } from "../lib/console/multipartForm.ts";
import { type TodoField, todoFields } from "../lib/console/setup/todoFields.ts";
import { CycleConfigError } from "../lib/errors.ts";
import { launchChromium } from "../lib/render/launchChromium.ts";
import { storageKeys } from "../lib/storageKeys.ts";
import type { CycleConfig } from "../lib/survey/config/cycleConfig.ts";
import { parseCycleConfig } from "../lib/survey/config/parseCycleConfig.ts";
import { draftCycle } from "../lib/survey/draft/draftCycle.ts";
import { checkExport } from "../lib/survey/ingest/checkExport.ts";
import { axeViolations, sidewaysScroll } from "./support/axe.ts";
import { recordingLogger, useLocalRuntime } from "./support/harness.ts";
import { ConsoleVisitor, csrfOf } from "./support/consoleVisitor.ts";

// Setting a cycle up in the console (issue 23, item 2), against the local runtime's real servers
// (s3rver, DynamoDB Local): a cycle file uploaded, or drafted from an export and its TODOs answered.
const runtime = useLocalRuntime();
const log = recordingLogger();
let server: ConsoleServer;

const EXPORT = "examples/exports-by-tool/googleforms/leads.csv";
const EXAMPLE = parseCycleConfig(readFileSync("examples/exports-by-tool/googleforms/cycle.json", "utf8"), "cycle.json");

beforeAll(async () => {
  server = await startConsoleServer({ store: runtime().store, ledger: runtime().ledger, log, authenticator: new DevAuthenticator(), sessionKey: randomBytes(32), now: () => new Date() });
});

afterAll(async () => {
  await server?.close();
});

/** A file to upload: its name and bytes. */
interface Upload {
  name: string;
  bytes: Uint8Array;
}

/** A person's browser without the browser, at this file's console, posting forms and uploads. */
class Visitor extends ConsoleVisitor {
  csrf = "";
  constructor() {
    super(() => server.url);
  }
  /** A multipart POST (what the browser sends for a form with a file), with the session's CSRF token unless told otherwise. */
  upload(path: string, file: Upload | undefined, fields: Record<string, string> = {}, csrf: string | null = this.csrf): Promise<Response> {
    const data = new FormData();
    if (csrf !== null) data.set("csrf", csrf);
    for (const [name, value] of Object.entries(fields)) data.set(name, value);
    data.set("file", new Blob([file?.bytes ?? new Uint8Array()], { type: "application/octet-stream" }), file?.name ?? "");
    return this.request("POST", path, data);
  }
  static csrfOf = csrfOf;
  /** Signs in as `role`, keeping the session's CSRF token for later posts. */
  async signInAs(role: "survey-team" | "report-author"): Promise<this> {
    this.csrf = await this.signIn(role);
    return this;
  }
}

const fileOf = (path: string, name = path.split("/").pop()!): Upload => ({ name, bytes: readFileSync(path) });
const jsonFile = (name: string, json: unknown): Upload => ({ name, bytes: Buffer.from(JSON.stringify(json, null, 2)) });

/** What `asye validate` prints for a refused file: its problem lines, in the validator's words. */
function cliProblems(upload: Upload): string[] {
  try {
    parseAnyCycle(Buffer.from(upload.bytes).toString("utf8"), upload.name);
  } catch (error) {
    if (error instanceof CycleConfigError) return error.problems;
    throw error;
  }
  throw new Error(`${upload.name} is valid`);
}

/** The markup between an element's opening tag with this id and the next form group (what is shown beside a field). */
function besideField(page: string, id: string): string {
  const start = page.indexOf(`id="${id}-error"`);
  expect(start, `no errors beside #${id}`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf(`id="${id}"`, start));
}

describe("setting a cycle up in the console", () => {
  it("uploads a cycle file of each kind: stored as the CLI stores it, the page goes to the new cycle, which is listed", async () => {
    const team = await new Visitor().signInAs("survey-team");
    expect(await (await team.request("GET", "/cycles")).text()).toContain('<a href="/setup" role="button" draggable="false" class="govuk-button">Set up a cycle</a>');
    for (const folder of ["asye-cf-2025", "asye-360-2025", "asye-outcomes-2025"]) {
      const upload = fileOf(`examples/${folder}/cycle.json`);
      const expected = parseAnyCycle(Buffer.from(upload.bytes).toString("utf8"), upload.name);
      const response = await team.upload("/setup/cycle-file", upload);
      expect([response.status, response.headers.get("location")], folder).toEqual([303, `/cycles/${expected.config.id}`]);
      // As saveCycle (the CLI's and the local runtime's) stores it: the validated configuration, defaults filled in.
      expect(await runtime().store.getText(storageKeys.cycleConfig(expected.config.id))).toBe(`${JSON.stringify(expected.config, null, 2)}\n`);
      expect((await loadCycle(runtime().store, expected.config.id)).kind).toBe(expected.kind);
      expect((await team.request("GET", `/cycles/${expected.config.id}`)).status).toBe(200);
    }
    const list = await (await team.request("GET", "/cycles")).text();
    for (const id of ["asye-cf-2025", "asye-360-2025", "asye-outcomes-2025"]) expect(list).toContain(`href="/cycles/${id}"`);
    // The same cycle again is refused, beside the field, and the stored one is left as it was.
    const again = await team.upload("/setup/cycle-file", fileOf("examples/asye-cf-2025/cycle.json"));
    expect(again.status).toBe(400);
    expect(besideField(await again.text(), "cycle-file")).toContain("id: a cycle &quot;asye-cf-2025&quot; is set up already (cycles/asye-cf-2025/cycle.json): choose another id");
  });

  it("refuses an invalid cycle file with the CLI's own lines beside the field and in the error summary, and stores nothing", async () => {
    const team = await new Visitor().signInAs("survey-team");
    const broken = JSON.parse(readFileSync("examples/asye-cf-2025/cycle.json", "utf8")) as { id: string; questionnaire: { items: { scale: string }[] }; groups: { delivered: unknown }[] };
    broken.id = "Broken 2025";
    broken.questionnaire.items[3]!.scale = "agree5";
    broken.groups[0]!.delivered = "many";
    const upload = jsonFile("broken.json", broken);
    const problems = cliProblems(upload);
    expect(problems.length).toBeGreaterThanOrEqual(2);
    const response = await team.upload("/setup/cycle-file", upload);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('<h2 class="govuk-error-summary__title">There is a problem</h2>');
    expect(page).toContain("broken.json is not a valid cycle configuration:");
    const beside = besideField(page, "cycle-file");
    for (const problem of problems) {
      expect(beside).toContain(`<li>${escapeHtml(problem)}</li>`);
      expect(page).toContain(`<li><a href="#cycle-file">${escapeHtml(problem)}</a></li>`);
    }
    expect(problems.some((problem) => problem.startsWith("groups[0].delivered: "))).toBe(true);
    // Once its fields are each right, the checks across fields speak, in their own words too.
    const unknownScale = jsonFile("scale.json", { ...broken, id: "broken-2025", groups: JSON.parse(readFileSync("examples/asye-cf-2025/cycle.json", "utf8")).groups });
    const across = cliProblems(unknownScale);
    expect(across.some((problem) => problem.startsWith("questionnaire.items[3].scale: "))).toBe(true);
    const acrossPage = await (await team.upload("/setup/cycle-file", unknownScale)).text();
    for (const problem of across) expect(besideField(acrossPage, "cycle-file")).toContain(escapeHtml(problem));
    expect((await runtime().store.list("cycles/")).some((key) => key.includes("roken"))).toBe(false);
    // Not JSON, no file, and a file over the limit: each said beside the field.
    const notJson = { name: "notes.json", bytes: Buffer.from("{ id: ") };
    expect(besideField(await (await team.upload("/setup/cycle-file", notJson)).text(), "cycle-file")).toContain(escapeHtml(cliProblems(notJson)[0]!));
    expect(besideField(await (await team.upload("/setup/cycle-file", undefined)).text(), "cycle-file")).toContain("Select a cycle file");
    const big = await team.upload("/setup/cycle-file", { name: "big.json", bytes: Buffer.alloc(CYCLE_FILE_MAX_BYTES + 1, 32) });
    expect([big.status, besideField(await big.text(), "cycle-file")]).toEqual([400, expect.stringContaining("The cycle file must be 256 KB or smaller")]);
  });

  it("drafts from an export as asye init does, keeps the draft under an opaque id, and stores the cycle once its TODOs are answered", async () => {
    const team = await new Visitor().signInAs("survey-team");
    const drafted = await team.upload("/setup/draft", fileOf(EXPORT), { group: "leads", tool: "" });
    expect(drafted.status).toBe(303);
    const location = drafted.headers.get("location")!;
    expect(location).toMatch(/^\/setup\/drafts\/[A-Za-z0-9_-]{24}$/u);
    const id = location.split("/").pop()!;
    const draft = await draftCycle(() => createReadStream(EXPORT), "leads.csv", { group: "leads" });
    const fields = todoFields(draft.cycle);
    // Kept server-side, in the store, expiring in a day; the export itself is not kept.
    const record = draftRecordSchema.parse(JSON.parse((await runtime().store.getText(draftKey(id)))!));
    expect(record.cycle).toEqual(JSON.parse(JSON.stringify(draft.cycle)));
    expect(Date.parse(record.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
    const form = await (await team.request("GET", location)).text();
    expect(form.match(/ name="t\d+"/gu)!.length).toBe(fields.reduce((n, field) => n + (field.choices?.length ?? 1), 0));
    expect(form).toContain('value="website-resources"'); // the draft's proposal, pre-filled
    // Some answers, one of them wrong: the TODOs left, and the wrong answer, each beside its field in the CLI's words.
    const delivered = fields.find((field) => field.path === "groups[0].delivered")!;
    const partial = { ...answersFor(fields, "Drafted 2025"), [delivered.name]: [""] };
    const refused = await team.request("POST", location, { csrf: team.csrf, ...partial });
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(besideField(page, `f-${delivered.name}`)).toContain(escapeHtml(`groups[0].delivered: ${draft.cycle.groups[0]!.delivered as string}`));
    const badId = cliProblems(jsonFile("draft", { ...answered(draft.cycle, fields, answersFor(fields, "asye-leads-2025")), id: "Drafted 2025" })).find((problem) => problem.startsWith("id: "))!;
    expect(besideField(page, "f-t0")).toContain(escapeHtml(badId));
    expect(page).toContain(`<li><a href="#f-t0">${escapeHtml(badId)}</a></li>`);
    // The answers so far survive: the form shows them again.
    expect(await (await team.request("GET", location)).text()).toContain('value="Drafted 2025"');
    // And the draft as it stands downloads as JSON, answers in, TODOs where none was given.
    const downloaded = await team.request("GET", `${location}/draft.json`);
    expect(downloaded.headers.get("content-disposition")).toBe('attachment; filename="leads.draft.json"');
    const json = (await downloaded.json()) as { id: string; groups: { delivered: unknown }[] };
    expect([json.id, json.groups[0]!.delivered]).toEqual(["Drafted 2025", draft.cycle.groups[0]!.delivered]);
    // Ethnicity is no question reported as a share: its item is left out, and with it its scale, whose positive answers are then not asked.
    const ethnicity = draft.cycle.questionnaire.scales.findIndex((scale) => scale.categories.includes("White"));
    const ethnicityItem = draft.cycle.questionnaire.items.findIndex((item) => item.scale === draft.cycle.questionnaire.scales[ethnicity]!.id);
    const positive = fields.find((field) => field.path === `questionnaire.scales[${ethnicity}].positive`)!;
    expect(form).toContain(`name="oi${ethnicityItem}" type="checkbox" value="leave-out"`);
    const final = { ...answersFor(fields, "asye-leads-2025"), [positive.name]: [], [`oi${ethnicityItem}`]: "leave-out" };
    // With the first item left out too, the third item's problem is the second's in the file the CLI would read, and is shown beside the third.
    const third = fields.find((field) => field.path === "questionnaire.items[2].id")!;
    const renumbered = await (await team.request("POST", location, { csrf: team.csrf, ...final, oi0: "leave-out", [third.name]: "Bad Id" })).text();
    expect(besideField(renumbered, `f-${third.name}`)).toMatch(/questionnaire\.items\[1\]\.id: /u);
    const done = await team.request("POST", location, { csrf: team.csrf, ...final });
    expect([done.status, done.headers.get("location")]).toEqual([303, "/cycles/asye-leads-2025"]);
    const stored = await loadCycle(runtime().store, "asye-leads-2025");
    const config = stored.config as CycleConfig;
    expect(config.questionnaire.items.map((item) => item.columns.leads)).toEqual(draft.cycle.questionnaire.items.filter((_item, index) => index !== ethnicityItem).map((item) => item.columns.leads));
    expect(config.questionnaire.scales.map((scale) => scale.id)).not.toContain(draft.cycle.questionnaire.scales[ethnicity]!.id);
    const checked = await checkExport(createReadStream(EXPORT), stored.config as CycleConfig, "leads", EXPORT);
    expect([checked.refused, checked.counts]).toEqual([undefined, { rows: 52, accepted: 52, rejected: 0, duplicates: 0 }]);
    // A draft past its day is gone.
    await runtime().store.put(draftKey(id), JSON.stringify({ ...record, expiresAt: new Date(Date.now() - 1000).toISOString() }), "application/json");
    expect((await team.request("GET", location)).status).toBe(404);
  });

  it("adds another group's export to a draft: a group it has and two columns onto one item refused beside them, then merged; the survey team's only", async () => {
    const team = await new Visitor().signInAs("survey-team");
    const location = (await team.upload("/setup/draft", fileOf("examples/asye-cf-2025/exports/leads.csv"), { group: "leads" })).headers.get("location")!;
    expect(await (await team.request("GET", location)).text()).toContain(`href="${location}/groups/new"`);
    const assessors = fileOf("examples/asye-cf-2025/exports/assessors.csv");
    const same = await team.upload(`${location}/groups`, assessors, { group: "leads" });
    expect(same.status).toBe(400);
    expect(besideField(await same.text(), "group")).toContain("The draft has a group “leads” already: choose another id");
    expect(besideField(await (await team.upload(`${location}/groups`, undefined, { group: "assessors" })).text(), "export-file")).toContain("Select an export");
    const added = await team.upload(`${location}/groups`, assessors, { group: "assessors" });
    expect([added.status, added.headers.get("location")]).toEqual([303, `${location}/groups/columns`]);
    expect(await (await team.request("GET", `${location}/groups/columns`)).text()).toContain('<option value="item-0" selected>The item of “Q5.1 Usefulness: website resources” (leads)</option>');
    const twice = await team.request("POST", `${location}/groups/columns`, { csrf: team.csrf, c0: "item-0", c1: "item-0" });
    expect(twice.status).toBe(400);
    expect(besideField(await twice.text(), "f-c1")).toContain("Column “Q4_2 How useful: assessor forum meetings” and column “Q4_1 How useful: ASYE website resources” both go onto the item of column “Q5.1 Usefulness: website resources”");
    const author = await new Visitor().signInAs("report-author");
    expect((await author.request("GET", `${location}/groups/new`)).status).toBe(403);
    expect((await author.request("POST", `${location}/groups/columns`, { csrf: author.csrf, c0: "new" })).status).toBe(403);
    expect((await team.request("POST", `${location}/groups/columns`, { c0: "new" })).status).toBe(403);
    const done = await team.request("POST", `${location}/groups/columns`, { csrf: team.csrf, c1: "new" });
    expect([done.status, done.headers.get("location")]).toEqual([303, location]);
    const record = draftRecordSchema.parse(JSON.parse((await runtime().store.getText(draftKey(location.split("/").pop()!)))!));
    const cycle = record.cycle as { groups: { id: string }[]; questionnaire: { items: { columns: Record<string, string> }[] } };
    expect([cycle.groups.map((group) => group.id), record.adding]).toEqual([["leads", "assessors"], undefined]);
    expect(cycle.questionnaire.items[0]!.columns).toEqual({ leads: "Q5.1 Usefulness: website resources", assessors: "Q4_1 How useful: ASYE website resources" });
    expect(cycle.questionnaire.items.some((item) => item.columns.assessors === "Q4_2 How useful: assessor forum meetings" && item.columns.leads === undefined)).toBe(true);
    expect(await (await team.request("GET", location)).text()).toContain("Group “assessors”");
  });

  it("drafts from a workbook too: its bytes pass through the multipart form whole", async () => {
    const team = await new Visitor().signInAs("survey-team");
    const drafted = await team.upload("/setup/draft", fileOf("examples/exports-by-tool/msforms/leads.xlsx"));
    expect(drafted.status).toBe(303);
    const record = draftRecordSchema.parse(JSON.parse((await runtime().store.getText(draftKey(drafted.headers.get("location")!.split("/").pop()!)))!));
    expect([(record.cycle as { groups: { id: string; source: { tool: string } }[] }).groups[0]!.source.tool, record.exportName]).toEqual(["msforms", "leads.xlsx"]);
    expect(record.found[0]).toBe("Drafted a cycle file from leads.xlsx");
  });

  it("refuses an export it cannot draft from, and a group id the CLI would refuse, beside their fields", async () => {
    const team = await new Visitor().signInAs("survey-team");
    const empty = await team.upload("/setup/draft", { name: "empty.csv", bytes: Buffer.from("\n") }, { group: "" });
    expect(empty.status).toBe(400);
    expect(besideField(await empty.text(), "export-file")).toContain("empty.csv: refused: the file is empty");
    const badGroup = await team.upload("/setup/draft", fileOf(EXPORT), { group: "Leads Group" });
    expect(besideField(await badGroup.text(), "group")).toContain("--group: a group id: lower-case letters, digits and dashes");
    expect((await team.request("GET", "/setup/drafts/AAAAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
  });

  it("lets only the survey team set up cycles: a report author sees no controls and a forged POST gets 403", async () => {
    const author = await new Visitor().signInAs("report-author");
    expect(await (await author.request("GET", "/cycles")).text()).not.toContain("Set up a cycle");
    expect((await author.request("GET", "/setup")).status).toBe(403);
    const upload = jsonFile("cycle.json", { ...JSON.parse(readFileSync("examples/asye-cf-2025/cycle.json", "utf8")), id: "forged-by-author" });
    expect((await author.upload("/setup/cycle-file", upload)).status).toBe(403);
    expect((await author.upload("/setup/draft", fileOf(EXPORT))).status).toBe(403);
    expect((await author.request("POST", "/setup/drafts/AAAAAAAAAAAAAAAAAAAAAAAA", { csrf: author.csrf, t0: "x" })).status).toBe(403);
    expect(await runtime().store.getText(storageKeys.cycleConfig("forged-by-author"))).toBeUndefined();
  });

  it("refuses a POST without the session's CSRF token, multipart or not", async () => {
    const team = await new Visitor().signInAs("survey-team");
    const upload = jsonFile("cycle.json", { ...JSON.parse(readFileSync("examples/asye-cf-2025/cycle.json", "utf8")), id: "no-token" });
    expect((await team.upload("/setup/cycle-file", upload, {}, null)).status).toBe(403);
    expect((await team.upload("/setup/cycle-file", upload, {}, "x".repeat(team.csrf.length))).status).toBe(403);
    const other = await new Visitor().signInAs("survey-team");
    expect((await team.upload("/setup/cycle-file", upload, {}, other.csrf)).status).toBe(403);
    expect((await team.upload("/setup/draft", fileOf(EXPORT), {}, null)).status).toBe(403);
    expect((await team.request("POST", "/setup/drafts/AAAAAAAAAAAAAAAAAAAAAAAA", { t0: "x" })).status).toBe(403);
    expect(await runtime().store.getText(storageKeys.cycleConfig("no-token"))).toBeUndefined();
    expect((await team.upload("/setup/cycle-file", upload)).status).toBe(303);
  });

  it("reads a function URL's multipart upload byte for byte (a workbook is binary)", async () => {
    const workbook = readFileSync("examples/exports-by-tool/msforms/leads.xlsx");
    const data = new FormData();
    data.set("csrf", "token");
    data.set("file", new Blob([workbook]), "leads.xlsx");
    const encoded = new Request("http://x/", { method: "POST", body: data });
    const body = Buffer.from(await encoded.arrayBuffer());
    const request = consoleRequestFromUrlEvent({
      rawPath: "/setup/draft",
      headers: { "Content-Type": encoded.headers.get("content-type")! },
      body: body.toString("base64"),
      isBase64Encoded: true,
      requestContext: { http: { method: "POST" } },
    } as unknown as Parameters<typeof consoleRequestFromUrlEvent>[0]);
    const form = await readMultipart(request);
    expect(form?.fields).toEqual({ csrf: "token" });
    expect([form?.file?.name, Buffer.compare(form!.file!.bytes, workbook)]).toEqual(["leads.xlsx", 0]);
  });

  it("works in the headless Chromium with the keyboard alone, at 390 px, with no axe-core violations", async () => {
    let browser: Browser | undefined;
    mkdirSync("test-artifacts", { recursive: true });
    try {
      browser = await launchChromium();
      // axe is injected as a script, which the console's own CSP forbids: this context lets it in.
      const page = await browser.newPage({ bypassCSP: true, viewport: { width: 1000, height: 900 } });
      const violations = await browserJourney(page);
      expect(violations).toEqual({ setup: [], "setup at 390 px": [], "cycle file refused": [], "draft form": [], "draft form at 390 px": [], "draft refused": [], "set up": [] });
    } finally {
      await browser?.close();
    }
  });
});

/** Signs in, sets a cycle file up wrongly, drafts from the export and answers it, all with the keyboard: axe's findings per page. */
async function browserJourney(page: Page): Promise<Record<string, string[]>> {
  const violations: Record<string, string[]> = {};
  const look = async (name: string, shot: string) => {
    violations[name] = await axeViolations(page);
    await page.screenshot({ path: `test-artifacts/console-setup-${shot}.png`, fullPage: true });
    await page.screenshot({ path: `test-artifacts/console-setup-${shot}-top.png` });
  };
  await page.goto(new URL("/sign-in", server.url).href);
  await tabTo(page, "#role");
  await page.keyboard.press("Space");
  await tabTo(page, "button[type=submit]");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/cycles$/u);
  await tabTo(page, 'a[href="/setup"]');
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/setup$/u);
  await look("setup", "page");
  expect(await sidewaysScroll(page, 390)).toBe(0);
  violations["setup at 390 px"] = await axeViolations(page);
  await page.screenshot({ path: "test-artifacts/console-setup-page-390.png", fullPage: true });
  await page.setViewportSize({ width: 1000, height: 900 });
  const broken = { ...JSON.parse(readFileSync("examples/asye-360-2025/cycle.json", "utf8")), id: "360 Broken" };
  await tabTo(page, "#cycle-file");
  await page.setInputFiles("#cycle-file", { name: "broken-360.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(broken)) });
  await tabTo(page, 'form[action="/setup/cycle-file"] button');
  await page.keyboard.press("Enter");
  await page.waitForSelector("#cycle-file-error");
  expect(await page.locator("#cycle-file-error").innerText()).toContain(cliProblems(jsonFile("broken-360.json", broken))[0]!);
  await look("cycle file refused", "cycle-file-refused");
  await tabTo(page, "#export-file");
  await page.setInputFiles("#export-file", EXPORT);
  await tabTo(page, "#group");
  await page.keyboard.type("leads");
  await tabTo(page, 'form[action="/setup/draft"] button');
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/setup\/drafts\/[A-Za-z0-9_-]{24}$/u);
  await look("draft form", "draft-form");
  expect(await sidewaysScroll(page, 390)).toBe(0);
  await look("draft form at 390 px", "draft-form-390");
  await page.locator("#f-oi0").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-artifacts/console-setup-draft-item-390.png" });
  await page.setViewportSize({ width: 1000, height: 900 });
  const fields = todoFields((await draftCycle(() => createReadStream(EXPORT), "leads.csv", { group: "leads" })).cycle);
  const label = fields.find((field) => field.path === "groups[0].label")!;
  await answerByKeyboard(page, fields, { ...answersFor(fields, "asye-leads-browser"), [label.name]: [""] });
  await page.waitForSelector(".govuk-error-summary");
  await look("draft refused", "draft-refused");
  await page.locator(`#f-${label.name}`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-artifacts/console-setup-draft-refused-field.png" });
  await answerByKeyboard(page, [label], { [label.name]: ["ASYE leads"] });
  await page.waitForURL(/\/cycles\/asye-leads-browser$/u);
  await look("set up", "cycle");
  return violations;
}

/** Presses Tab until the element matching `selector` has focus (at most 400 times). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 400; presses++) {
    if (await page.evaluate((wanted) => (globalThis as unknown as { document: { activeElement: { matches(s: string): boolean } | null } }).document.activeElement?.matches(wanted) === true, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Types each field's answer (replacing what is there), ticks a list's choices with Space, and submits with Enter. */
async function answerByKeyboard(page: Page, fields: readonly TodoField[], answers: Record<string, string[]>): Promise<void> {
  for (const field of fields) {
    const given = answers[field.name];
    if (given === undefined) continue;
    if (field.choices !== undefined) {
      for (const [index, choice] of field.choices.entries()) {
        const box = `#f-${field.name}${index === 0 ? "" : `-${index}`}`;
        if ((await page.isChecked(box)) === given.includes(choice)) continue;
        await tabTo(page, box);
        await page.keyboard.press("Space");
      }
      continue;
    }
    // What the draft proposed is kept as it is (only typed where the answer differs).
    if ((await page.inputValue(`#f-${field.name}`)) === given.join("\n")) continue;
    await tabTo(page, `#f-${field.name}`);
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.press("Delete");
    if (given[0] !== "") await page.keyboard.type(given.join("\n"));
  }
  await tabTo(page, 'form[action^="/setup/drafts/"] button');
  await page.keyboard.press("Enter");
}

/**
 * A person's answers to the googleforms draft: the cycle's own facts from the example cycle file,
 * and for each scale whose positive answers are asked, the first of its answers; the draft's
 * proposals (item and question ids and wording) are kept as they are.
 */
function answersFor(fields: readonly TodoField[], id: string): Record<string, string[]> {
  const facts: Record<string, string> = {
    id,
    title: "ASYE leads, drafted in the console",
    "schedule.opens": EXAMPLE.schedule.opens,
    "schedule.closes": EXAMPLE.schedule.closes,
    "groups[0].label": "ASYE leads",
    "groups[0].delivered": String(EXAMPLE.groups[0]!.delivered),
  };
  const answers: Record<string, string[]> = {};
  for (const field of fields) {
    if (facts[field.path] !== undefined) answers[field.name] = [facts[field.path]!];
    else if (field.choices !== undefined) answers[field.name] = [field.choices[0]!];
    else answers[field.name] = field.proposed;
  }
  return answers;
}

/** The draft with answers in place (as the console fills them), for what the CLI says of it. */
function answered(cycle: unknown, fields: readonly TodoField[], answers: Record<string, string[]>): Record<string, unknown> {
  const filled = structuredClone(cycle) as Record<string, unknown>;
  for (const field of fields) {
    const given = answers[field.name] ?? [];
    const value = field.kind === "list" ? given : field.kind === "whole-number" ? Number(given[0]) : given[0];
    let parent: Record<string | number, unknown> = filled;
    for (const segment of field.at.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
    parent[field.at.at(-1)!] = value;
  }
  return filled;
}
