import type { z } from "zod";
import type { RejectionCollector } from "../ingest/rejectionReport.ts";
import type { IngestLedger, UploadRef } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
import type { ReportFanOut } from "../ports/reportFanOut.ts";
import type { WorkQueue } from "../ports/workQueue.ts";
import type { ExportFacts } from "../sources/exportRows.ts";

/** What the shared pipeline reads of every cycle file, whatever its kind. */
export interface CycleBasics {
  id: string;
  title: string;
  /** Below this share of valid rows an upload is refused whole (the accepted-share guard). */
  minimumAcceptedShare: number;
}

/** A cycle file read and validated: its kind's name, its configuration and the kind that reads it. */
export interface LoadedCycle<Config extends CycleBasics = CycleBasics, Results = unknown> {
  /** The kind's name, as cycle files and results documents spell it. */
  kind: string;
  config: Config;
  type: CycleKind<Config, Results>;
}

/** Where uploads of a cycle go: the places a person names (`asye ingest <cycle> <place> <file>`). */
export interface UploadPlaces {
  /** How the places are called in messages ("groups", "360 uploads go to"). */
  noun: string;
  names: string[];
}

/** What reading an upload needs from ingest. */
export interface EncodeDeps {
  store: ObjectStore;
  /** Where recipients are marked as responded from response tokens (when the export has them). */
  recipients?: RecipientStore;
  log: Logger;
  now: () => Date;
  /** Called with the rows read so far. */
  onProgress: (rows: number) => void;
}

/**
 * An upload read and validated, its normalized form not yet kept. Ingest's guard decides whether
 * it is kept (`keep`) or dropped (`abandon`); nothing becomes current before `keep` has finished.
 */
export interface UploadEncoding {
  facts: ExportFacts;
  /** Rows read (after the header and skipped rows), valid or not. */
  rows: number;
  accepted: number;
  duplicates: number;
  rejections: RejectionCollector;
  /** Where the normalized form is kept (the ledger's current batch points at it). */
  normalizedKey: string;
  /** Keeps the normalized form and whatever the kind keeps beside it. */
  keep(): Promise<void>;
  /** Abandons it: nothing normalized is kept. */
  abandon(error: Error): Promise<void>;
  /** After the upload became (or did not become) its place's current one: what else the kind records. */
  afterAccepted?(): Promise<void>;
}

/** What `asye check` shows of an export: the whole result (for --json), its lines for a terminal, and the refusal. */
export interface ExportCheckOutcome {
  result: object;
  lines: string[];
  /** Why ingest would refuse the file, or undefined when it would accept it. */
  refused?: string;
}

/** What computing a cycle needs: the same for every door (Lambda, CLI, local runtime). */
export interface ComputeDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  log: Logger;
  now?: () => Date;
  /** Groups with a recipient list take their delivered count from it. */
  recipients?: RecipientStore;
  /** Prints a report to PDF and its figures to PNG (headless Chromium); without it neither is published. */
  render?: (html: string, title: string, figures: readonly string[]) => Promise<{ pdf: Uint8Array; pngs: Uint8Array[] }>;
  /** Prints one report to PDF; without it only HTML is published. */
  printPdf?: (html: string, title: string) => Promise<Uint8Array>;
  /** Records a fan-out of queued reports (one per organisation) and who completed each. */
  fanOut?: ReportFanOut;
  /** Where queued work (one report per message) goes. */
  reportQueue?: WorkQueue;
}

/** What a compute did: where its results are, how they stand, and whether they were published. */
export interface ComputedCycle<Results = unknown> {
  key: string;
  /** A short status for people and logs ("final", "152 personalised reports queued", …). */
  status: string;
  published: boolean;
  computedAt: string;
  results: Results;
}

/** What rendering one queued report needs. */
export interface QueuedReportDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  fanOut: ReportFanOut;
  log: Logger;
  /** How long a claim on the report outlives the invocation that took it. */
  leaseMs: number;
  printPdf?: (html: string, title: string) => Promise<Uint8Array>;
}

/** A committed JSON Schema generated from one of a kind's zod schemas. */
export interface JsonSchemaEntry {
  file: string;
  title: string;
  schema: z.ZodType;
}

/**
 * One kind of cycle: the annual survey, the 360-degree evaluation tool, the registration
 * platform's outcomes. Everything that differs between kinds is here; ingest's claim, lease,
 * guard and ledger, compute and publication, the API, the CLI and the local runtime look a kind
 * up in the registry (`registry.ts`) and call these, never comparing a kind's name.
 */
export interface CycleKind<Config extends CycleBasics = CycleBasics, Results = unknown> {
  /** The `kind` a cycle file and its results document name. */
  readonly name: string;
  /** What people call a cycle of this kind ("annual-survey cycle", "360 cycle"). */
  readonly label: string;

  /** The cycle file: validates its JSON (`text` is the file, for messages). Throws CycleConfigError naming `source`. */
  parseCycleFile(json: unknown, text: string, source: string): Config;
  /** What `asye validate` prints of a valid cycle file. */
  describeCycle(config: Config, file: string): string[];

  /** The places a person uploads to. */
  uploadPlaces(config: Config): UploadPlaces;
  /** Whether uploads to this place are personal data (they go under `personal/`, encrypted and expired). */
  isPersonalPlace(config: Config, place: string): boolean;
  /**
   * Whether an upload to this place holds personal data in its cells (records, raters' names
   * and emails), though it may not be personal data as a whole: its stored rejection report
   * then names each problem's row, column and what was expected, never the cell. Default: the
   * personal places only.
   */
  cellsArePersonal?(config: Config, place: string): boolean;
  /** Refuses (FileRejectedError) an upload to a place the cycle does not have, or to the wrong prefix. */
  checkUploadPlace(config: Config, upload: UploadRef): void;
  /** Reads and validates one upload as its place says; its normalized form is kept only when ingest says so. */
  encodeUpload(config: Config, upload: UploadRef, body: AsyncIterable<Uint8Array>, deps: EncodeDeps): Promise<UploadEncoding>;
  /** Reads an export exactly as ingest would and stores nothing (`asye check`). */
  checkExport(config: Config, place: string, body: AsyncIterable<Uint8Array>, file: string, options: { sampleRows: number }): Promise<ExportCheckOutcome>;

  /**
   * Computes the cycle from each place's current batch and publishes every output (results,
   * report, tables, figures) together, or queues the work that will.
   */
  compute(config: Config, deps: ComputeDeps): Promise<ComputedCycle<Results>>;
  /** Whether the results API may compute right after a re-ingest (false: the receipts trigger the compute function). */
  readonly computesAfterReingest: boolean;
  /** Renders one queued report (a message the compute sent), when the kind queues any. */
  renderQueuedReport?(body: string, config: Config, deps: QueuedReportDeps): Promise<unknown>;

  /** The results document's schema. */
  readonly resultsSchema: z.ZodType<Results>;
  /** The committed JSON Schemas of its documents. */
  readonly jsonSchemas: readonly JsonSchemaEntry[];
  /** The results as plain text for a terminal (`npm start`, `asye results`). */
  summarize(results: Results): string;
  /** Where `npm start` wrote the published files (`written`, under `folder`), for a person. */
  describeOutputs(cycleId: string, folder: string, written: readonly string[]): string[];

  /** One cycle's entry in `GET /cycles`. */
  listEntry(config: Config, results: Results | undefined, now: Date): Record<string, unknown>;
  /** The parts of the results that `GET /cycles/{id}/results/{section}` serves alone (none: fetched whole). */
  readonly sections?: readonly ResultsSection<Results>[];
}

/** A part of a results document served alone by the API. */
export interface ResultsSection<Results> {
  /** Its name in the path (`response-rates`). */
  name: string;
  /** The response body: the part, with what a reader needs to place it. */
  select(results: Results): Record<string, unknown>;
}

/**
 * The cycle as one of `kind`'s, or undefined when another kind read it. Its configuration was
 * made by that kind's own `parseCycleFile`, so it is of that kind's type.
 */
export function asCycleOf<Config extends CycleBasics, Results>(cycle: LoadedCycle, kind: CycleKind<Config, Results>): LoadedCycle<Config, Results> | undefined {
  return cycle.type === kind ? (cycle as unknown as LoadedCycle<Config, Results>) : undefined;
}
