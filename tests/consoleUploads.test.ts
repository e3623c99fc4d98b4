import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3UploadSigner } from "../lib/adapters/s3UploadSigner.ts";
import { saveCycle } from "../lib/config/cycleStore.ts";
import { DevAuthenticator } from "../lib/console/devAuthenticator.ts";
import { type ConsoleServer, startConsoleServer } from "../lib/console/nodeServer.ts";
import { CONTENT_SECURITY_POLICY } from "../lib/console/securityHeaders.ts";
import { rejectionReportCsv } from "../lib/console/uploads/rejectionReportPage.ts";
import { STAGED_UPLOAD_MAX_BYTES, stagedKey } from "../lib/console/uploads/stagingKeys.ts";
import { type PostPolicyGate, startPostPolicyGate } from "../lib/local/postPolicyGate.ts";
import { launchChromium } from "../lib/render/launchChromium.ts";
import { axeViolations, sidewaysScroll } from "./support/axe.ts";
import { recordingLogger, useLocalRuntime } from "./support/harness.ts";
import { ConsoleVisitor } from "./support/consoleVisitor.ts";

// A SmartSurvey cycle with no uploads yet; its exports go through the console alone.
const runtime = useLocalRuntime();
const FOLDER = "examples/exports-by-tool/smartsurvey";
const CYCLE = "asye-cf-2025-smartsurvey";
const GOOD = readFileSync(`${FOLDER}/leads.csv`);
/** Two rows with an answer the question's list does not have: ingested, with a rejection report. */
const BAD = Buffer.from(
  GOOD.toString("utf8")
    .split("\n")
    .map((line, i) => (i === 2 || i === 3 ? line.replace(",Fairly easy,", ",Quite easy,").replace(",Fairly difficult,", ",Quite easy,") : line))
    .join("\n"),
);
let server: ConsoleServer;
let gate: PostPolicyGate;
/** How far the console's and the gate's clocks run ahead (to expire forms and staged files). */
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);
const log = recordingLogger();

beforeAll(async () => {
  const { store, stack } = runtime();
  await saveCycle(store, readFileSync(`${FOLDER}/cycle.json`, "utf8"), `${FOLDER}/cycle.json`);
  gate = await startPostPolicyGate(stack.clients.s3, stack.bucket, clock);
  const { handler } = await import("../functions/compute.ts");
  server = await startConsoleServer({
    store,
    ledger: runtime().ledger,
    log,
    authenticator: new DevAuthenticator(),
    sessionKey: randomBytes(32),
    now: clock,
    uploadSigner: new S3UploadSigner(stack.clients.s3, stack.bucket, gate.url),
    requestRecompute: async (cycleId) => void (await handler({ cycleId })),
  });
});

afterAll(async () => {
  await server?.close();
  await gate?.close();
});

/** A person's browser without the browser, at this file's console, uploading as the browser does. */
class Visitor extends ConsoleVisitor {
  constructor() {
    super(() => server.url);
  }
  /**
   * Uploads `file` as the browser does: the upload page's form, posted as multipart with the file
   * last to where it points (S3's presigned POST; here the gate in front of s3rver). Returns S3's answer.
   */
  async upload(group: string, file: Uint8Array, change: (fields: Record<string, string>) => void = () => undefined): Promise<Response> {
    const page = await this.page(`/cycles/${CYCLE}/groups/${group}/upload`);
    const [form, action] = /<form method="post" action="([^"]+)" enctype="multipart\/form-data">[^]*?<\/form>/.exec(page)!;
    const fields: Record<string, string> = {};
    for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[name!] = value!.replace(/&amp;/g, "&");
    change(fields);
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    body.append("file", new Blob([file], { type: "text/csv" }), "Leads – Jo Bloggs.csv");
    return fetch(action!, { method: "POST", body, redirect: "manual" });
  }
}


/** The console path S3 sends the browser back to (its query names the bucket, key and ETag, nothing personal). */
async function checkPath(answer: Promise<Response>): Promise<string> {
  const s3Answer = await answer;
  expect(s3Answer.status, await s3Answer.text()).toBe(303);
  const location = new URL(s3Answer.headers.get("location")!);
  expect(location.searchParams.get("key")).toMatch(new RegExp(`^staging/${CYCLE}/leads/[A-Za-z0-9_-]{22}$`));
  expect(location.href).not.toMatch(/Bloggs|Jo/);
  return location.pathname;
}

/** Presses Tab until the focused element's text or label is `name` (at most 60 times): reachable by keyboard alone. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = (globalThis as unknown as { document: { activeElement: { textContent: string | null; id: string } | null } }).document.activeElement;
      return `${element?.id ?? ""}|${(element?.textContent ?? "").trim()}`;
    });
    if (focused.split("|").includes(name)) return;
  }
  throw new Error(`${name} cannot be reached with Tab`);
}

describe("uploads through the console", () => {
  it("takes an export through the presigned POST, checks it, uses it, and shows it ingested and counted (in the headless Chromium, keyboard only, axe-clean, at 390 px)", async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      // axe is injected as a script, which the console's own CSP forbids: this context lets it in.
      const page = await browser.newPage({ bypassCSP: true, viewport: { width: 1000, height: 900 } });
      const violations: Record<string, string[]> = {};
      const look = async (name: string) => {
        violations[name] = await axeViolations(page);
        await page.screenshot({ path: `test-artifacts/console-${name}.png`, fullPage: true });
        expect(await sidewaysScroll(page, 390), name).toBe(0);
        violations[`${name} at 390 px`] = await axeViolations(page);
        await page.screenshot({ path: `test-artifacts/console-${name}-390.png`, fullPage: true });
        await page.screenshot({ path: `test-artifacts/console-${name}-390-top.png` });
        await page.setViewportSize({ width: 1000, height: 900 });
      };
      mkdirSync("test-artifacts", { recursive: true });
      await page.goto(new URL("/sign-in", server.url).href);
      await tabTo(page, "role");
      await page.keyboard.press("Space");
      await tabTo(page, "Sign in");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/cycles$/);
      await page.goto(new URL(`/cycles/${CYCLE}`, server.url).href);
      await tabTo(page, "Uploads: what happened, and upload an export");
      await page.keyboard.press("Enter");
      await page.waitForURL(new RegExp(`/cycles/${CYCLE}/uploads$`));
      await look("uploads-empty");
      await tabTo(page, "Upload an export for leads");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/groups\/leads\/upload$/);
      await look("upload");
      // Choosing a file opens the system's file dialog, which a test cannot drive: the file is set on the focused input.
      await tabTo(page, "file");
      await page.locator("#file").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: GOOD });
      await tabTo(page, "Upload and check");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/groups\/leads\/staged\/[A-Za-z0-9_-]{22}\?bucket=[^&]+&key=staging%2F[^&]+&etag=[^&]+$/);
      const check = await page.locator("main").innerText();
      expect(check).toContain("Ingest would accept this file");
      expect(check).toMatch(/Read as\s+smartsurvey export, delimited text/);
      expect(check).toContain("Where each field is read from");
      expect(check).toMatch(/The response at row \d+/);
      expect(check).toMatch(/Accepted\s+\d+/);
      await look("check");
      await tabTo(page, "Use this export");
      await page.keyboard.press("Enter");
      await page.waitForURL(new RegExp(`/cycles/${CYCLE}/uploads$`));
      await runtime().idle();
      await tabTo(page, "refresh this page");
      await page.keyboard.press("Enter");
      await page.waitForLoadState();
      const happened = await page.locator("main").innerText();
      expect(happened).toMatch(/console-[A-Za-z0-9_-]{22}\.csv/);
      expect(happened).toContain("Accepted");
      expect(happened).toContain("Current");
      const [record] = await runtime().ledger.records((await runtime().store.list(`uploads/${CYCLE}/leads/`))[0]!);
      expect(record!.status).toBe("accepted");
      expect(happened).toContain(`\t${record!.counts!.rows}\t${record!.counts!.accepted}\t`);
      await look("uploads");
      expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((name) => [name, []])));
      expect(runtime().failures).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  it("shows a refused export's problem and offers no 'Use this export'", async () => {
    const team = new Visitor();
    await team.signIn("survey-team");
    const answer = await team.upload("leads", Buffer.from("this is not an export\n"));
    const page = await team.page(await checkPath(Promise.resolve(answer)));
    expect(page).toContain("Ingest would refuse this file:");
    expect(page).not.toContain("Use this export");
  });

  it("ingests a bad export's good rows and shows its rejection report as a table and as CSV", async () => {
    const team = new Visitor();
    const csrf = await team.signIn("survey-team");
    const path = await checkPath(team.upload("leads", BAD));
    const check = await team.page(path);
    expect(check).toContain("Quite easy");
    // Pressed twice: one upload.
    for (let i = 0; i < 2; i++) expect((await team.request("POST", `${path}/use`, { csrf })).headers.get("location")).toBe(`/cycles/${CYCLE}/uploads`);
    await runtime().idle();
    const stagingId = path.split("/").pop()!;
    expect((await runtime().store.list(`uploads/${CYCLE}/leads/console-${stagingId}`)).length).toBe(1);
    const happened = await team.page(`/cycles/${CYCLE}/uploads`);
    expect(happened).toContain("rejections/");
    const report = /href="(\/cycles\/[^"]+\/rejections\/[A-Za-z0-9-]+)"/.exec(happened)![1]!;
    const table = await team.page(report);
    expect(table).toMatch(/<th scope="row" class="govuk-table__header">\d+<\/th><td class="govuk-table__cell">[^<]+<\/td><td class="govuk-table__cell">Found &quot;Quite easy&quot;; expected/);
    const csv = await team.request("GET", `${report}.csv`);
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="rejections-${CYCLE}-leads.csv"`);
    const lines = (await csv.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("row,column,problem");
    expect(lines.slice(1).filter((line) => line.includes('Found ""Quite easy""')).length).toBe(2);
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ bypassCSP: true, viewport: { width: 1000, height: 900 } });
      await page.context().addCookies([{ name: "asye_console", value: team.cookie.split("=").slice(1).join("="), url: server.url }]);
      await page.goto(new URL(report, server.url).href);
      const violations = await axeViolations(page);
      await page.screenshot({ path: "test-artifacts/console-rejection-report.png", fullPage: true });
      expect(await sidewaysScroll(page, 390)).toBe(0);
      await page.screenshot({ path: "test-artifacts/console-rejection-report-390.png", fullPage: true });
      expect([...violations, ...(await axeViolations(page))]).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  it("gives a report author no upload pages or controls, and refuses them and forged POSTs with 403", async () => {
    const team = new Visitor();
    await team.signIn("survey-team");
    const path = await checkPath(team.upload("leads", GOOD));
    const author = new Visitor();
    const csrf = await author.signIn("report-author");
    // Uploads (file names, rejection reports quoting cells) are the survey team's alone.
    expect(await author.page(`/cycles/${CYCLE}`)).not.toMatch(/Uploads: what happened|upload an export/);
    for (const get of [`/cycles/${CYCLE}/uploads`, `/cycles/${CYCLE}/groups/leads/upload`, path]) expect((await author.request("GET", get)).status, get).toBe(403);
    expect((await author.request("POST", `${path}/use`, { csrf })).status).toBe(403);
    expect((await author.request("POST", `${path}/use`, {})).status).toBe(403);
    expect((await runtime().store.list(`uploads/${CYCLE}/leads/console-${path.split("/").pop()}`)).length).toBe(0);
  });

  it("refuses a file over the size limit, a changed form, and a form used after it expired (S3's answers)", async () => {
    const team = new Visitor();
    await team.signIn("survey-team");
    const tooLarge = await team.upload("leads", new Uint8Array(STAGED_UPLOAD_MAX_BYTES + 1));
    expect(tooLarge.status).toBe(400);
    expect(await tooLarge.text()).toContain("<Code>EntityTooLarge</Code>");
    const otherKey = await team.upload("leads", GOOD, (fields) => (fields.key = stagedKey(CYCLE, "assessors", "A".repeat(22))));
    expect(otherKey.status).toBe(403);
    expect(await otherKey.text()).toContain("Policy Condition failed");
    const forged = await team.upload("leads", GOOD, (fields) => (fields["X-Amz-Signature"] = "0".repeat(64)));
    expect([forged.status, await forged.text()]).toEqual([403, expect.stringContaining("<Code>SignatureDoesNotMatch</Code>")]);
    const otherRedirect = await team.upload("leads", GOOD, (fields) => (fields.success_action_redirect = "https://example.org/"));
    expect(otherRedirect.status).toBe(403);
    const form = await team.request("GET", `/cycles/${CYCLE}/groups/leads/upload`);
    // Only the upload page's form may post elsewhere: to the bucket's origin, and nowhere else.
    expect(form.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY.replace("form-action 'self'", `form-action 'self' ${new URL(gate.url).origin}`));
    expect((await team.request("GET", `/cycles/${CYCLE}/uploads`)).headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(await form.text()).toContain("At most 50 MB");
    ahead = 11 * 60 * 1000;
    try {
      const late = await team.upload("leads", GOOD);
      expect(late.status).toBe(403);
      expect(await late.text()).toContain("Policy expired");
    } finally {
      ahead = 0;
    }
  });

  it("refuses a staged export after 24 hours, and one that was never uploaded, with a clear message", async () => {
    const team = new Visitor();
    await team.signIn("survey-team");
    const path = await checkPath(team.upload("leads", GOOD));
    expect((await team.request("GET", path)).status).toBe(200);
    ahead = 25 * 60 * 60 * 1000;
    try {
      // A session lasts a working day: the person signs in again the next day.
      const csrf = await team.signIn("survey-team");
      const gone = await team.request("GET", path);
      expect(gone.status).toBe(410);
      expect(await gone.text()).toContain("Uploaded exports are kept for 24 hours to be checked and used, then deleted.");
      expect((await team.request("POST", `${path}/use`, { csrf })).status).toBe(410);
    } finally {
      ahead = 0;
    }
    expect((await team.request("GET", `/cycles/${CYCLE}/groups/leads/staged/${"B".repeat(22)}`)).status).toBe(410);
    expect((await team.request("GET", `/cycles/${CYCLE}/groups/nobody/staged/${"B".repeat(22)}`)).status).toBe(404);
    expect(log.lines.map((line) => JSON.stringify(line))).not.toContainEqual(expect.stringMatching(/Bloggs/));
  });

  it("writes a rejection report's CSV so that no cell starts a spreadsheet formula", () => {
    const csv = rejectionReportCsv({
      rows: 2,
      accepted: 1,
      rejectedRows: 1,
      duplicates: [],
      problemsByColumn: { "=HYPERLINK(\"x\")": 1 },
      problems: [{ row: 2, column: '=HYPERLINK("x")', value: "", expected: "a number" }],
      truncated: false,
    });
    expect(csv).toBe('\uFEFFrow,column,problem\r\n2,"\'=HYPERLINK(""x"")",Empty; expected a number\r\n');
  });
});
