import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DevAuthenticator } from "../lib/console/devAuthenticator.ts";
import { type ConsoleServer, startConsoleServer } from "../lib/console/nodeServer.ts";
import { MAX_LIST_BYTES } from "../lib/console/reminders/recipientUpload.ts";
import { outcomesOf } from "../lib/console/reminders/reminderStatus.ts";
import { CONTENT_SECURITY_POLICY } from "../lib/console/securityHeaders.ts";
import { MailUncertainError, type OutgoingMail } from "../lib/ports/mailer.ts";
import { LOCAL_HASH_KEY, recipientHash } from "../lib/reminders/recipientHash.ts";
import { runReminders } from "../lib/reminders/runReminders.ts";
import { OutboxMailer } from "../lib/adapters/outboxMailer.ts";
import { launchChromium } from "../lib/render/launchChromium.ts";
import { axeViolations, sidewaysScroll } from "./support/axe.ts";
import { recordingLogger, storeCycle, useLocalRuntime } from "./support/harness.ts";
import { ConsoleVisitor } from "./support/consoleVisitor.ts";
import { testCycle } from "./support/testCycle.ts";

const runtime = useLocalRuntime({ routeEvents: false });
const CYCLE = "remind-2025";
const BASE = `/cycles/${CYCLE}/reminders`;
const at = (iso: string) => new Date(iso);
/** The console's clock: before the invitation at first. */
let clock = at("2025-01-10T12:00:00Z");
let server: ConsoleServer;
const log = recordingLogger();
const hash = (person: string) => recipientHash(`${person}@example.org`, LOCAL_HASH_KEY);

beforeAll(async () => {
  await storeCycle(runtime(), testCycle(CYCLE, { title: "Reminders test 2025" }));
  server = await startConsoleServer({
    store: runtime().store,
    ledger: runtime().ledger,
    recipients: runtime().recipients,
    log,
    authenticator: new DevAuthenticator(),
    sessionKey: randomBytes(32),
    now: () => clock,
  });
});

afterAll(async () => {
  await server?.close();
});

/** A browser without the browser, at this file's console. */
class Visitor extends ConsoleVisitor {
  constructor() {
    super(() => server.url);
  }
}


function listUpload(csrf: string, group: string | undefined, csv: string | Uint8Array | undefined, name = "leads.csv"): FormData {
  const form = new FormData();
  form.append("csrf", csrf);
  if (group !== undefined) form.append("group", group);
  form.append("list", csv === undefined ? new Blob([]) : new Blob([csv], { type: "text/csv" }), csv === undefined ? "" : name);
  return form;
}

// Ana, Bo, Zoë (a name outside ASCII), Dee opted out; a bad address and a duplicate of Ana's.
const LIST = "email,name,token,opted_out\nana@example.org,Ana,t-ana,\nnot-an-address,Bad,,\nbo@example.org,Bo,t-bo,\nzoe@example.org,Zoë,t-zoe,\ndee@example.org,Dee,,yes\nANA@example.org,,,\n";

describe("the reminders pages", () => {
  it("stores an uploaded recipient list, shows counts and the refused rows by number only, never an address", async () => {
    const team = new Visitor();
    const csrf = await team.signIn("survey-team");
    const stored = await team.request("POST", `${BASE}/recipients`, listUpload(csrf, "leads", LIST));
    const page = await stored.text();
    expect(stored.status).toBe(200);
    expect(stored.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(page).toContain("Recipient list stored");
    expect(page).toContain("4 people on the list for ASYE leads");
    expect(page).toMatch(/Duplicates merged[^<]*<\/dt><dd class="govuk-summary-list__value">1</);
    expect(page).toContain('<a href="#problem-0">Row 3: not a valid email address (not stored)</a>');
    expect(page).not.toContain("@example.org");
    expect(page).not.toContain("not-an-address");
    const people = await runtime().recipients.recipients(CYCLE, "leads");
    expect(people.map((person) => person.name).sort()).toEqual(["Ana", "Bo", "Dee", "Zoë"]);
  });

  it("refuses a form without a group or a file, a file without an email column, and one over the limit, with a GOV.UK error summary", async () => {
    const team = new Visitor();
    const csrf = await team.signIn("survey-team");
    const empty = await team.request("POST", `${BASE}/recipients`, listUpload(csrf, undefined, undefined));
    expect(empty.status).toBe(400);
    const emptyPage = await empty.text();
    expect(emptyPage).toContain('<h2 class="govuk-error-summary__title">There is a problem</h2>');
    expect(emptyPage).toContain('<a href="#group">Choose the group the list is for</a>');
    expect(emptyPage).toContain('<a href="#recipient-file">Choose a recipient list to upload</a>');
    const noEmail = await (await team.request("POST", `${BASE}/recipients`, listUpload(csrf, "nqsws", "name\nAna\n"))).text();
    expect(noEmail).toContain('<a href="#recipient-file">The list cannot be used: missing required column &quot;email&quot;</a>');
    expect(noEmail).toMatch(/id="group-nqsws" name="group" type="radio" value="nqsws" checked/);
    const big = await team.request("POST", `${BASE}/recipients`, listUpload(csrf, "nqsws", new Uint8Array(MAX_LIST_BYTES + 1).fill(65)));
    expect(big.status).toBe(400);
    expect(await big.text()).toContain("The file must be smaller than 2 MB");
    expect(await runtime().recipients.recipients(CYCLE, "nqsws")).toEqual([]);
  });

  it("previews the schedule in Europe/London with who each message would go to", async () => {
    const team = new Visitor();
    await team.signIn("survey-team");
    const response = await team.request("GET", BASE);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain("Wednesday 15 January 2025 at 09:00 GMT");
    expect(page).toContain("Wednesday 29 January 2025 at 09:00 GMT");
    expect(page).toContain("Wednesday 12 February 2025 at 09:00 GMT");
    expect(page).toMatch(/Invitation<br><strong class="govuk-tag govuk-tag--grey">To come<\/strong>/);
    // Dee opted out; the NQSWs have no list yet.
    expect(page).toContain("<li>ASYE leads: 3 to mail</li><li>NQSWs: 0 to mail</li>");
    expect(page).toMatch(/<th scope="row" class="govuk-table__header">ASYE leads<\/th><td[^>]*>4<\/td><td[^>]*>1<\/td>/);
    expect(page).not.toContain("@example.org");
  });

  it("refuses a report author (reading too) and a POST without the session's CSRF token", async () => {
    const author = new Visitor();
    const authorCsrf = await author.signIn("report-author");
    expect((await author.request("GET", BASE)).status).toBe(403);
    expect((await author.request("GET", `${BASE}/sends`)).status).toBe(403);
    expect((await author.request("POST", `${BASE}/pause`, { csrf: authorCsrf })).status).toBe(403);
    expect((await author.request("POST", `${BASE}/recipients`, listUpload(authorCsrf, "nqsws", "email\nx@example.org\n"))).status).toBe(403);
    const team = new Visitor();
    const csrf = await team.signIn("survey-team");
    expect((await team.request("POST", `${BASE}/pause`, {})).status).toBe(403);
    expect((await team.request("POST", `${BASE}/pause`, { csrf: "x".repeat(csrf.length) })).status).toBe(403);
    expect((await team.request("POST", `${BASE}/recipients`, listUpload("y".repeat(csrf.length), "nqsws", "email\nx@example.org\n"))).status).toBe(403);
    expect(await runtime().recipients.remindersPausedAt(CYCLE)).toBeUndefined();
    expect(await runtime().recipients.recipients(CYCLE, "nqsws")).toEqual([]);
  });

  it("pauses: the scheduled run sends nothing; resumes: it sends; both idempotent", async () => {
    // Sessions last a working day on the console's clock: sign in after moving it.
    clock = at("2025-01-14T10:00:00Z");
    const team = new Visitor();
    const csrf = await team.signIn("survey-team");
    const paused = await team.request("POST", `${BASE}/pause`, { csrf });
    expect([paused.status, paused.headers.get("location")]).toEqual([303, BASE]);
    clock = at("2025-01-14T11:00:00Z");
    expect((await team.request("POST", `${BASE}/pause`, { csrf })).status).toBe(303);
    expect(await runtime().recipients.remindersPausedAt(CYCLE)).toBe("2025-01-14T10:00:00.000Z");
    expect(await (await team.request("GET", BASE)).text()).toContain("Paused since Tuesday 14 January 2025 at 10:00 GMT");

    const whilePaused = await runtime().runReminders(at("2025-01-15T09:00:00Z"));
    expect(whilePaused.cycles.find((cycle) => cycle.cycleId === CYCLE)).toMatchObject({ due: "invitation", paused: true, groups: [] });
    expect(await runtime().store.list(`outbox/${CYCLE}/`)).toEqual([]);

    for (let i = 0; i < 2; i++) expect((await team.request("POST", `${BASE}/resume`, { csrf })).headers.get("location")).toBe(BASE);
    expect(await runtime().recipients.remindersPausedAt(CYCLE)).toBeUndefined();
    const resumed = await runtime().runReminders(at("2025-01-15T10:00:00Z"));
    const leads = resumed.cycles.find((cycle) => cycle.cycleId === CYCLE)!;
    expect(leads.paused).toBeUndefined();
    expect(leads.groups.find((group) => group.group === "leads")).toMatchObject({ sent: 3, skipped: { optedOut: 1 } });
    expect((await runtime().store.list(`outbox/${CYCLE}/invitation/leads/`)).sort()).toEqual(["ana", "bo", "zoe"].map((p) => `outbox/${CYCLE}/invitation/leads/${hash(p)}.json`).sort());
  });

  it("shows the send log by outcome: sent, unconfirmed, bounced, counted and per send, by pseudonym", async () => {
    // Bo's invitation bounces; Ana's reminder gets no answer from SES (it may have gone).
    await runtime().deliverSesEvent({ eventType: "Bounce", bounce: { bounceType: "Permanent" }, mail: { tags: { cycle: [CYCLE], group: ["leads"], recipient: [hash("bo")] } } });
    const outbox = new OutboxMailer(runtime().store);
    const mailer = {
      send: async (mail: OutgoingMail) => {
        if (mail.tags.recipient === hash("ana")) throw new MailUncertainError("connection reset");
        await outbox.send(mail);
      },
    };
    const summary = await runReminders({ store: runtime().store, recipients: runtime().recipients, mailer, log, now: at("2025-01-29T09:00:00Z") });
    expect(summary.cycles.find((cycle) => cycle.cycleId === CYCLE)!.groups[0]).toMatchObject({ sent: 1, unconfirmed: 1, skipped: { bounced: 1 } });

    clock = at("2025-01-29T12:00:00Z");
    const team = new Visitor();
    await team.signIn("survey-team");
    const page = await (await team.request("GET", `${BASE}/sends`)).text();
    const row = (name: string) => new RegExp(`<th scope="row" class="govuk-table__header">${name}</th>${[0, 1, 2, 3, 4].map(() => '<td class="govuk-table__cell govuk-table__cell--numeric">(\\d+)</td>').join("")}`).exec(page)!.slice(1).map(Number);
    // Columns: sent, unconfirmed, bounced, refused, being sent.
    expect(row("Invitation, ASYE leads")).toEqual([2, 0, 1, 0, 0]);
    expect(row("Reminder 1, ASYE leads")).toEqual([1, 1, 0, 0, 0]);
    expect(row("All messages")).toEqual([3, 1, 1, 0, 0]);
    expect(page).toContain(`<td class="govuk-table__cell"><code>${hash("bo")}</code></td>\n<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--red">Bounced</strong></td>`);
    expect(page).toContain("All 5 sends, newest first");
    expect(page).not.toContain("@");
    const preview = await (await team.request("GET", BASE)).text();
    // Reminder 1 is due: Ana and Zoë have had it, Bo bounced and Dee opted out, so nobody is left to mail.
    expect(preview).toContain("<li>ASYE leads: 1 sent, 1 unconfirmed, 0 to mail</li>");
    expect(preview).toContain("<li>ASYE leads: 2 sent, 1 bounced</li>");
    expect(JSON.stringify(log.lines)).not.toContain("@example.org");
  });

  it("counts a bounce against the last message the person was sent, not every one", () => {
    const send = (messageId: string, sentAt: string) => ({ cycleId: "c", messageId, group: "g", hash: "h1", status: "sent" as const, sentAt });
    const person = { cycleId: "c", group: "g", hash: "h1", email: "", optedOut: false, remindersSent: 1, bouncedAt: "2025-02-01T00:00:00Z" };
    const outcomes = outcomesOf([send("invitation", "2025-01-15T09:00:00Z"), send("reminder-1", "2025-01-29T09:00:00Z")], [person]);
    expect(outcomes.map((o) => [o.messageId, o.outcome])).toEqual([
      ["reminder-1", "bounced"],
      ["invitation", "sent"],
    ]);
  });
});

describe("the reminders pages in the headless Chromium", () => {
  it("have no axe-core violations, work at 390 px, and can be used with the keyboard alone", async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ bypassCSP: true, viewport: { width: 1000, height: 900 } });
      mkdirSync("test-artifacts", { recursive: true });
      await page.goto(new URL("/sign-in", server.url).href);
      await page.getByLabel("Survey team").check();
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/cycles$/);
      const violations: Record<string, string[]> = {};
      const check = async (name: string) => {
        violations[name] = await axeViolations(page);
        await page.screenshot({ path: `test-artifacts/console-${name}.png`, fullPage: true });
        expect(await sidewaysScroll(page, 390), name).toBe(0);
        violations[`${name} at 390 px`] = await axeViolations(page);
        await page.screenshot({ path: `test-artifacts/console-${name}-390.png`, fullPage: true });
        await page.setViewportSize({ width: 1000, height: 900 });
      };
      await page.goto(new URL(BASE, server.url).href);
      await check("reminders");

      // Keyboard alone: choose the group, choose the file, upload; then pause and resume.
      await tabTo(page, "#group");
      await page.keyboard.press("Space");
      await tabTo(page, "#recipient-file");
      const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.keyboard.press("Space")]);
      await chooser.setFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from("email,name\nbad-row,X\neve@example.org,Eve\n") });
      await tabTo(page, "button:text('Upload recipient list')");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Recipient list stored" }).waitFor();
      expect(await page.locator(".govuk-error-summary").textContent()).toContain("Row 2: not a valid email address (not stored)");
      await check("recipients-stored");

      await page.goto(new URL(BASE, server.url).href);
      await tabTo(page, "button:text('Pause invitations and reminders')");
      await page.keyboard.press("Enter");
      await page.getByText("Paused since").waitFor();
      expect(await runtime().recipients.remindersPausedAt(CYCLE)).toBeDefined();
      await check("reminders-paused");
      await tabTo(page, "button:text('Resume invitations and reminders')");
      await page.keyboard.press("Enter");
      await page.getByText("Running").waitFor();
      expect(await runtime().recipients.remindersPausedAt(CYCLE)).toBeUndefined();

      await tabTo(page, "a:text('The send log')");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/sends$/);
      await check("send-log");

      // A refused upload: the error summary at the top, each problem linked to its field.
      await page.goto(new URL(BASE, server.url).href);
      await page.getByRole("button", { name: "Upload recipient list" }).click();
      await page.locator(".govuk-error-summary").waitFor();
      await check("reminders-error");
      expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((name) => [name, []])));
      expect(Object.keys(violations)).toHaveLength(10);
      expect(await runtime().recipients.recipients(CYCLE, "leads")).toHaveLength(5);
    } finally {
      await browser?.close();
    }
  });
});

/** Presses Tab until the element matching `selector` has the focus (a test of keyboard reach: fails after 80 presses). */
async function tabTo(page: Page, selector: string): Promise<void> {
  const target = page.locator(selector).first();
  for (let presses = 0; presses < 80; presses++) {
    if (await target.evaluate((element) => element === (element.ownerDocument as { activeElement: unknown }).activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${selector} cannot be reached with the Tab key`);
}
