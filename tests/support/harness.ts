import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import type { CycleConfig } from "../../lib/survey/config/cycleConfig.ts";
import { saveCycleConfig } from "../../lib/survey/config/surveyCycleStore.ts";
import type { UploadRef } from "../../lib/ports/ingestLedger.ts";
import type { Logger } from "../../lib/ports/logger.ts";
import { type LocalRuntime, startLocalRuntime } from "../../scripts/local/runtime.ts";
import { copyExampleWorld, copyWorldLedger, exampleWorldBuilt } from "./exampleWorld.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The state folder of the example cycles, built once per run (tests/support/examplesSetup.ts). */
    exampleWorld: string;
    /** The DynamoDB Local the files of a project share, each with tables of its own (tests/support/globalSetup.ts, examplesSetup.ts). */
    sharedDynamo: string;
  }
}

type RuntimeOptions = Omit<Parameters<typeof startLocalRuntime>[0], "stateDir" | "dynamodbEndpoint" | "ledgerTable">;

/**
 * Starts the local runtime for the tests of one file: its own s3rver, and a ledger table of its
 * own in the DynamoDB Local the run shares; a file that simulates DynamoDB outages
 * (`outages: true`) starts a DynamoDB Local of its own, which it may stop and start.
 */
export function useLocalRuntime(options: RuntimeOptions & { outages?: boolean } = {}): () => LocalRuntime {
  let runtime: LocalRuntime | undefined;
  let stateDir = "";
  const { outages, ...runtimeOptions } = options;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "asye-test-"));
    const shared = outages ? {} : { dynamodbEndpoint: inject("sharedDynamo"), ledgerTable: `ledger-${basename(stateDir)}` };
    runtime = await startLocalRuntime({ stateDir, inMemory: true, ...shared, ...runtimeOptions });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  return () => runtime!;
}

/**
 * Starts the local runtime on a copy of the example cycles as the global setup built them
 * (ingested, computed and published once per run), for a test file that reads or changes them.
 */
export function useExampleRuntime(options: RuntimeOptions = {}): () => LocalRuntime {
  let runtime: LocalRuntime | undefined;
  let copy: ReturnType<typeof copyExampleWorld> | undefined;
  beforeAll(async () => {
    await exampleWorldBuilt(inject("exampleWorld"));
    copy = copyExampleWorld(inject("exampleWorld"));
    const ledgerTable = `ledger-${basename(copy.dir)}`;
    runtime = await startLocalRuntime({ stateDir: copy.dir, inMemory: true, dynamodbEndpoint: inject("sharedDynamo"), ledgerTable, ...options });
    await copyWorldLedger(runtime.stack.clients.dynamodb, ledgerTable);
  });
  afterAll(async () => {
    await runtime?.stop();
    copy?.dispose();
  });
  return () => runtime!;
}

/** A logger that keeps what it is told, for assertions. */
export function recordingLogger(): Logger & {
  lines: { level: string; message: string; extra: unknown[] }[];
} {
  const lines: { level: string; message: string; extra: unknown[] }[] = [];
  const at =
    (level: string) =>
    (message: string, ...extra: unknown[]) =>
      void lines.push({ level, message, extra });
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}

/** Stores a cycle configuration given as an object. */
export async function storeCycle(runtime: LocalRuntime, config: unknown): Promise<CycleConfig> {
  return saveCycleConfig(runtime.store, JSON.stringify(config), "test cycle");
}

/** An upload reference as an S3 event would give it, for calling ingest directly. */
export function uploadRef(
  key: string,
  etag: string,
  overrides: Partial<UploadRef> = {},
): UploadRef {
  const [, cycleId = "_unplaced", group = "_unplaced"] = key.split("/");
  return {
    key,
    etag,
    cycleId,
    group,
    uploadedAt: "2025-03-01T10:00:00.000Z",
    sequencer: "00000000000000000001",
    ...overrides,
  };
}
