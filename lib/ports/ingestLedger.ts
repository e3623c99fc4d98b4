/** Identifies one upload: an S3 key at one content version (ETag). */
export interface UploadRef {
  key: string;
  etag: string;
  cycleId: string;
  group: string;
  /** When S3 says the object was created (ISO time); orders re-uploads of a group. */
  uploadedAt: string;
  /** S3's event sequencer, a tie-breaker for uploads in the same millisecond. */
  sequencer: string;
}

/** The counts an ingest produced. */
export interface IngestCounts {
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  /** Incomplete responses left out, when there were any (they count neither as valid nor as rejected). */
  incomplete?: number;
}

/** The ledger's record of one upload. */
export interface UploadRecord {
  upload: UploadRef;
  status: "processing" | "accepted" | "rejected";
  leaseUntil?: string;
  checksum?: string;
  counts?: IngestCounts;
  /** Why the whole file was rejected (status "rejected"). */
  reason?: string;
  normalizedKey?: string;
  rejectionReportKey?: string;
  finishedAt?: string;
}

/** The batch that currently stands for a group's responses in a cycle. */
export interface CurrentBatch {
  cycleId: string;
  group: string;
  upload: UploadRef;
  checksum: string;
  normalizedKey: string;
  counts: IngestCounts;
}

/** Outcome of trying to take the lease on an upload. */
export type ClaimResult =
  | { outcome: "claimed" }
  | { outcome: "finished"; record: UploadRecord }
  | { outcome: "busy"; record: UploadRecord };

/** The results a cycle shows: which compute's outputs, computed from which ledger generation. */
export interface Publication {
  cycleId: string;
  /** The cycle's ledger generation the results were computed from. */
  generation: number;
  computedAt: string;
  resultsKey: string;
  reportKey: string;
  /** The version's folder and every file in it (results.json, report.html, tables.xlsx, tables/*.csv). */
  folder?: string;
  files?: string[];
}

/** Where ingest records uploads and which batch is current per group, and which results are published (DynamoDB). */
export interface IngestLedger {
  /** Takes the lease on an upload unless it is finished or another worker's lease is live. */
  claim(upload: UploadRef, now: Date, leaseMs: number): Promise<ClaimResult>;
  /** Records the final state of an upload this worker claimed. */
  finish(record: UploadRecord): Promise<void>;
  /**
   * Makes a batch current for its group unless a later upload already is, and then counts the
   * cycle's generation up, in one transaction; returns whether it became current.
   */
  makeCurrent(batch: CurrentBatch): Promise<boolean>;
  /** How many times the cycle's current batches have changed: read before the batches, it dates a compute. */
  generation(cycleId: string): Promise<number>;
  /**
   * Points the cycle at a compute's outputs unless results from a later generation (or the same
   * generation, computed later) are published already; returns whether it did.
   */
  publish(publication: Publication): Promise<boolean>;
  /** The cycle's published results, if any. */
  published(cycleId: string): Promise<Publication | undefined>;
  /** Takes a named lock on a cycle unless another holder's lease is live; returns whether it did. */
  acquireLock(cycleId: string, name: string, holder: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Gives a lock back (only the holder's). */
  releaseLock(cycleId: string, name: string, holder: string): Promise<void>;
  /** The current batch of every group of a cycle that has one. */
  currentBatches(cycleId: string): Promise<CurrentBatch[]>;
  /** Every ledger record of an S3 key (one per version and delivery target), oldest first. */
  records(key: string): Promise<UploadRecord[]>;
}
