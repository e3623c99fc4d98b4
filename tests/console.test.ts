import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CycleEntry } from "../lib/console/cycleListing.ts";
import { cyclePage } from "../lib/console/cyclePage.ts";
import { DevAuthenticator } from "../lib/console/devAuthenticator.ts";
import { consoleRequestFromUrlEvent } from "../lib/console/lambdaEvent.ts";
import { type ConsoleServer, startConsoleServer } from "../lib/console/nodeServer.ts";
import { CONTENT_SECURITY_POLICY } from "../lib/console/securityHeaders.ts";
import { readAll } from "../lib/ports/objectStore.ts";
import { launchChromium } from "../lib/render/launchChromium.ts";
import { uploadCycleFolder } from "../scripts/local/exampleCycles.ts";
import { axeViolations, sidewaysScroll } from "./support/axe.ts";
import { ConsoleVisitor, csrfOf } from "./support/consoleVisitor.ts";
import { recordingLogger, useLocalRuntime } from "./support/harness.ts";

// The 2024 survey (no earlier year to read) ingested and computed through the S3-event path, as `npm start` does.
const runtime = useLocalRuntime();
const CYCLE = "asye-cf-2024";
let server: ConsoleServer;
const recomputed: string[] = [];

beforeAll(async () => {
  await uploadCycleFolder(runtime().store, `examples/${CYCLE}`);
  await runtime().idle();
  const { handler } = await import("../functions/compute.ts");
  server = await startConsoleServer({
    store: runtime().store,
    ledger: runtime().ledger,
    log: recordingLogger(),
    authenticator: new DevAuthenticator(),
    sessionKey: randomBytes(32),
    now: () => new Date(),
    requestRecompute: async (cycleId) => {
      recomputed.push(cycleId);
      await handler({ cycleId });
    },
  });
});

afterAll(async () => {
  await server?.close();
});

/** A person's browser without the browser, at this file's console. */
class Visitor extends ConsoleVisitor {
  constructor() {
    super(() => server.url);
  }
  static csrf = csrfOf;
}

describe("the console", () => {
  it("sends everyone to sign in, with a signed HttpOnly Secure SameSite cookie, and signs in and out", async () => {
    const visitor = new Visitor();
    const first = await visitor.request("GET", "/cycles");
    expect([first.status, first.headers.get("location")]).toEqual([303, "/sign-in"]);
    const cookie = first.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    // Signing in needs the form's token too (no login CSRF), and a role.
    expect((await visitor.request("POST", "/sign-in", { role: "survey-team" })).status).toBe(403);
    const form = await (await visitor.request("GET", "/sign-in")).text();
    const noRole = await visitor.request("POST", "/sign-in", { csrf: Visitor.csrf(form) });
    expect(noRole.status).toBe(400);
    expect(await noRole.text()).toContain('<a href="#role">Choose a role to sign in as</a>');
    const csrf = await visitor.signIn("survey-team");
    const cycles = await (await visitor.request("GET", "/cycles")).text();
    expect(cycles).toContain("Signed in as Survey team");
    const out = await visitor.request("POST", "/sign-out", { csrf });
    expect([out.status, out.headers.get("location")]).toEqual([303, "/sign-in"]);
    expect(out.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
    visitor.cookie = "";
    expect((await visitor.request("GET", "/cycles")).status).toBe(303);
    // A forged cookie is no session.
    visitor.cookie = "asye_console=eyJjc3JmIjoieCJ9.forged";
    expect((await visitor.request("GET", `/cycles/${CYCLE}`)).headers.get("location")).toBe("/sign-in");
  });

  it("refuses a report author's POST, with or without the author's CSRF token, and a POST without a token from anyone", async () => {
    const author = new Visitor();
    const csrf = await author.signIn("report-author");
    const page = await (await author.request("GET", `/cycles/${CYCLE}`)).text();
    expect(page).not.toContain("Recompute");
    expect((await author.request("POST", `/cycles/${CYCLE}/recompute`, {})).status).toBe(403);
    expect((await author.request("POST", `/cycles/${CYCLE}/recompute`, { csrf })).status).toBe(403);
    const team = new Visitor();
    const teamCsrf = await team.signIn("survey-team");
    expect((await team.request("POST", `/cycles/${CYCLE}/recompute`, { csrf: "x".repeat(teamCsrf.length) })).status).toBe(403);
    expect(recomputed).toEqual([]);
    const done = await team.request("POST", `/cycles/${CYCLE}/recompute`, { csrf: teamCsrf });
    expect([done.status, done.headers.get("location")]).toEqual([303, `/cycles/${CYCLE}`]);
    expect(recomputed).toEqual([CYCLE]);
  });

  it("lists the cycles with their state and shows a cycle's Table 6 and headline figures, every page with the CSP", async () => {
    const visitor = new Visitor();
    await visitor.signIn("report-author");
    for (const path of ["/sign-in", "/cycles", `/cycles/${CYCLE}`, "/cycles/no-such-cycle", "/assets/govuk-frontend.min.css"]) {
      const response = await visitor.request("GET", path);
      expect(response.headers.get("content-security-policy"), path).toBe(CONTENT_SECURITY_POLICY);
      expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    }
    const list = await (await visitor.request("GET", "/cycles")).text();
    expect(list).toContain(`href="/cycles/${CYCLE}"`);
    expect(list).toContain("Closed");
    const page = await (await visitor.request("GET", `/cycles/${CYCLE}`)).text();
    const table6 = (await readAll((await runtime().store.getStream(await publishedKey("tables/table-6.csv"))).body)).toString("utf8");
    const allGroups = table6.split(/\r?\n/).find((line) => line.startsWith("All groups"))!.split(",");
    expect(page).toContain("Table 6: responses and response rates");
    expect(page).toContain(`<th scope="row" class="govuk-table__header">All groups</th>${allGroups.slice(1).map((cell) => `<td class="govuk-table__cell govuk-table__cell--numeric">${cell}</td>`).join("")}`);
    expect(page).toContain("Headline figures");
    // The rankings' top five and the item-set averages as tables too, read from the published CSVs; the text summary folded away.
    const ranking = (await readAll((await runtime().store.getStream(await publishedKey("tables/ranking-1-leads.csv"))).body)).toString("utf8").replace(/^\uFEFF/, "").split(/\r?\n/);
    expect(page).toContain("Ranked (leads): the top five");
    expect(page).toContain(`<th scope="row" class="govuk-table__header">1</th><td class="govuk-table__cell">${ranking[1]!.split(",")[1]}</td><td class="govuk-table__cell govuk-table__cell--numeric">${ranking[1]!.split(",")[2]}</td>`);
    expect(page).not.toContain(`<th scope="row" class="govuk-table__header">6</th>`);
    // 2023-24 has no item sets: a published table with no rows is not shown.
    expect(page).not.toContain("Averages across item sets");
    expect(page).toContain("All the headline figures as text");
    expect(page).not.toContain("Provisional");
    expect((await visitor.request("GET", "/cycles/no-such-cycle")).status).toBe(404);
  });

  it("shows the provisional banner while a cycle's survey is open", () => {
    const entry: CycleEntry = { id: "asye-cf-2026", title: "ASYE 2026", kind: "survey", state: "open", computed: { at: "2026-03-01T10:00:00.000Z", status: "provisional" } };
    const session = { csrf: "c".repeat(32), role: "report-author" as const, expires: 1 };
    const page = cyclePage({ detail: { entry, summary: [], publication: undefined }, table6: undefined, recomputable: false }, session);
    expect(page).toContain('<h2 class="govuk-notification-banner__title" id="provisional-title">Provisional</h2>');
    expect(page).toContain("Provisional, computed 1 March 2026 at 10:00 GMT");
  });

  it("reads a function URL's event as the local server reads a request (cookies listed, bodies base64)", () => {
    const request = consoleRequestFromUrlEvent({
      rawPath: "/sign-in",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      cookies: ["a=1", "asye_console=x.y"],
      body: Buffer.from("csrf=t&role=report-author").toString("base64"),
      isBase64Encoded: true,
      requestContext: { http: { method: "POST" } },
    } as unknown as Parameters<typeof consoleRequestFromUrlEvent>[0]);
    expect(request).toEqual({ method: "POST", path: "/sign-in", headers: { "content-type": "application/x-www-form-urlencoded", cookie: "a=1; asye_console=x.y" }, body: "csrf=t&role=report-author" });
  });

  it("streams a published file from the store, and only a published one", async () => {
    const visitor = new Visitor();
    await visitor.signIn("report-author");
    const response = await visitor.request("GET", `/cycles/${CYCLE}/files/tables/table-6.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="table-6.csv"');
    const stored = await readAll((await runtime().store.getStream(await publishedKey("tables/table-6.csv"))).body);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(stored);
    expect((await visitor.request("GET", `/cycles/${CYCLE}/files/cycle.json`)).status).toBe(404);
    expect((await visitor.request("GET", `/cycles/${CYCLE}/files/..%2F..%2Fcycles%2F${CYCLE}.json`)).status).toBe(404);
  });

  it("has no axe-core violations (WCAG 2.2 AA) on its pages, in the headless Chromium, at 390 px too", async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      // axe is injected as a script, which the console's own CSP forbids: this context lets it in.
      const page = await browser.newPage({ bypassCSP: true, viewport: { width: 1000, height: 900 } });
      const violations: Record<string, string[]> = {};
      await page.goto(new URL("/sign-in", server.url).href);
      violations["sign-in"] = await axeViolations(page);
      mkdirSync("test-artifacts", { recursive: true });
      await page.screenshot({ path: "test-artifacts/console-sign-in.png" });
      await page.getByLabel("Survey team").check();
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/cycles$/);
      violations.cycles = await axeViolations(page);
      await page.screenshot({ path: "test-artifacts/console-cycles.png" });
      await page.locator(`a[href="/cycles/${CYCLE}"]`).click();
      await page.waitForURL(new RegExp(`/cycles/${CYCLE}$`));
      violations.cycle = await axeViolations(page);
      await page.screenshot({ path: "test-artifacts/console-cycle.png", fullPage: true });
      expect(await sidewaysScroll(page, 390)).toBe(0);
      violations["cycle at 390 px"] = await axeViolations(page);
      await page.screenshot({ path: "test-artifacts/console-cycle-390.png", fullPage: true });
      expect(violations).toEqual({ "sign-in": [], cycles: [], cycle: [], "cycle at 390 px": [] });
    } finally {
      await browser?.close();
    }
  });
});

/** Where the published version keeps a file (the ledger's pointer names the folder). */
async function publishedKey(path: string): Promise<string> {
  const publication = await runtime().ledger.published(CYCLE);
  return `${publication!.folder}/${path}`;
}
