import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The survey team's CLI, run as a person runs it: a separate process, its output and exit code.
const run = promisify(execFile);
const stateDir = mkdtempSync(join(tmpdir(), "asye-cli-"));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

async function asye(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "bin/asye.ts", ...args], {
      env: { ...process.env, ASYE_STATE_DIR: stateDir, POWERTOOLS_LOG_LEVEL: "SILENT" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * Starts `asye serve` on a state folder and resolves once it is serving: commands given the same
 * folder use its servers instead of starting their own.
 */
async function serve(env: NodeJS.ProcessEnv): Promise<{ server: ChildProcess; stop: () => Promise<unknown> }> {
  const server = spawn(process.execPath, ["--import", "tsx", "bin/asye.ts", "serve"], { env, stdio: ["ignore", "pipe", "inherit"] });
  let said = "";
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes("Ctrl-C stops it")) resolve();
    });
    server.once("exit", (code) => reject(new Error(`asye serve ended with ${code}: ${said}`)));
  });
  const stop = () => {
    const ended = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    return ended;
  };
  return { server, stop };
}

async function leadsResponses(): Promise<number> {
  const results = await asye("results", "asye-cf-2025", "--json");
  return JSON.parse(results.stdout).responseRates.groups.find((g: { group: string }) => g.group === "leads").responses;
}

describe("asye", () => {
  it("lists its commands, and explains each with --help", async () => {
    const list = await asye("--help");
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("check       Read an export as ingest would");
    const help = await asye("check", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: asye check <cycle.json> <group> <export>/);
    expect(help.stdout).not.toContain("import ");
  });

  it("refuses unknown commands and flags, and missing arguments, with exit code 2", async () => {
    expect((await asye("frobnicate")).code).toBe(2);
    const flag = await asye("ingest", "--force", "a", "b", "c");
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--force'");
    const missing = await asye("check", "examples/asye-cf-2025/cycle.json");
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("missing argument(s)") });
  });

  it("checks a tool's export without storing anything: tool, encoding, columns, decoded rows, counts", async () => {
    const result = await asye("check", "examples/exports-by-tool/snap/cycle.json", "leads", "examples/exports-by-tool/snap/leads.csv", "--rows", "1");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('read as:    snap export, delimited text, windows-1252, delimiter ","');
    expect(result.stdout).toContain('service_area                         ← column 3: "Q1"');
    expect(result.stdout).toMatch(/support-website\s+"3" → Not very useful/);
    expect(result.stdout).toContain("rows 52, accepted 52, rejected 0, duplicates 0");
    expect(result.stdout).toContain("ingest would accept this file");
  });

  it("exits 1 when ingest would refuse the export, saying why", async () => {
    const result = await asye("check", "examples/asye-cf-2025/cycle.json", "leads", "examples/exports-by-tool/jisc/leads.csv");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing required column(s)");
    expect(result.stderr).toContain('looks like a JISC Online Surveys export: set "source": { "tool": "jisc" }');
  });
});

// One runtime served for the commands below, as a person would keep one running; the last test stops it.
describe("asye serve", () => {
  let serving: Awaited<ReturnType<typeof serve>> | undefined;
  beforeAll(async () => {
    serving = await serve({ ...process.env, ASYE_STATE_DIR: stateDir, POWERTOOLS_LOG_LEVEL: "SILENT" });
  });
  afterAll(async () => {
    if (serving?.server.exitCode === null) await serving.stop();
  });

  // Two steps on one cycle, in order: each test runs a few commands (a test's time limit holds on one slow core).
  it("makes a file ingested again current again", async () => {
    await ingestAgain(serving!.server.pid!);
  });

  it("names a rejection report that can be opened, and leaves the results as they were", async () => {
    await refuse();
  });

  it("keeps the servers running for the other commands, which use them and say so, until it is stopped", async () => {
    const { server, stop } = serving!;
    const state = JSON.parse(readFileSync(join(stateDir, "serve.json"), "utf8")) as { pid: number; s3Endpoint: string };
    expect(state.pid).toBe(server.pid);
    const listed = await asye("cycles");
    expect(listed.stderr).toContain(`served by process ${server.pid}`);
    expect(JSON.parse(listed.stdout).cycles.map((c: { id: string }) => c.id)).toEqual(["asye-cf-2025"]);
    const again = await asye("serve");
    expect(again.stdout).toContain(`already serving (pid ${server.pid})`);
    await stop();
    // Stopped: the state file is gone, and a command starts its own servers (on the same state).
    expect(existsSync(join(stateDir, "serve.json"))).toBe(false);
    const cold = await asye("cycles");
    expect(cold.stderr).not.toContain("served by process");
    expect(JSON.parse(cold.stdout).cycles.map((c: { id: string }) => c.id)).toEqual(["asye-cf-2025"]);
  });
});

/**
 * The 2025 cycle file with two items and the ranked challenges only: each ingest recomputes the
 * cycle, and these tests check which upload is current, not the report's figures (nor the
 * published figures the cycle file declares, which name items left out here).
 */
function smallCycleFile(): string {
  const config = JSON.parse(readFileSync("examples/asye-cf-2025/cycle.json", "utf8"));
  config.questionnaire.items = config.questionnaire.items.filter((item: { columns: Record<string, string> }) => item.columns.leads).slice(0, 2);
  Object.assign(config.questionnaire, { itemSets: [], subgroupVariables: [], openText: [] });
  config.comparisons = [];
  config.weighting = [];
  config.figures = [];
  const path = join(stateDir, "cycle.json");
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/**
 * Ingests the 2025 leads' export (on the runtime `asye serve` runs as process `servedBy`), a
 * shorter one, and the first again, checking which is current.
 */
async function ingestAgain(servedBy: number): Promise<void> {
  const cycle = smallCycleFile();
  const first = await asye("ingest", cycle, "leads", "examples/asye-cf-2025/exports/leads.csv");
  expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining("accepted") });
  expect(first.stderr).toContain(`(using the local runtime served by process ${servedBy})`);
  // A corrected export with fewer rows becomes current...
  const lines = readFileSync("examples/asye-cf-2025/exports/leads.csv", "utf8").split("\n");
  const shorter = join(stateDir, "leads-40.csv");
  writeFileSync(shorter, lines.slice(0, 41).join("\n"));
  const other = await asye("ingest", cycle, "leads", shorter);
  expect(other.stdout).toContain("accepted");
  expect(await leadsResponses()).toBe(40);
  // ...and the first file, ingested again, becomes current again.
  const again = await asye("ingest", cycle, "leads", "examples/asye-cf-2025/exports/leads.csv");
  expect(again.code).toBe(0);
  expect(again.stdout).not.toContain("a later upload stays current");
  expect(await leadsResponses()).toBe(52);
}

/** Ingests a file of the wrong shape into the cycle {@link ingestAgain} left: refused, with a report, and nothing changed. */
async function refuse(): Promise<void> {
  const cycle = join(stateDir, "cycle.json");
  const refused = await asye("ingest", cycle, "leads", "examples/asye-cf-2024/exports/leads.csv");
  expect(refused.code).toBe(1);
  const path = /rejection report: (.*\.json)/.exec(refused.stdout)![1]!;
  expect(JSON.parse(readFileSync(path, "utf8")).fileRejected).toContain("missing required column(s)");
  expect(await leadsResponses()).toBe(52);
}

describe("asye check on the other kinds of cycle", () => {
  it("reads a 360 export as ingest would: its two bad rows named, the file accepted", async () => {
    const checked = await asye("check", "examples/asye-360-2025/cycle.json", "responses", "examples/asye-360-2025/exports/responses.csv");
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain("read as:    smartsurvey export, delimited text, utf-8");
    expect(checked.stdout).toContain("rows 1400, accepted 1398, rejected 2, duplicates 0");
    expect(checked.stdout).toContain('"Employer 999"; expected one of the 230 registered organisations');
  });
});
