import type { Publication } from "./ingestLedger.ts";

/** One compute's fan-out of personalised reports: which organisations are owed one, and which are done. */
export interface FanOutStatus {
  cycleId: string;
  /** The version folder the reports belong to (one per compute). */
  run: string;
  expected: number;
  done: number;
  /** What to publish once every report is done. */
  publication: Publication;
  /** Set once the publication has been made (by whichever worker finished last). */
  published: boolean;
}

/**
 * The completion record of a fan-out (DynamoDB): a compute starts it with the organisations
 * it sends messages for, each worker marks its organisation done, and the worker that sees
 * every organisation done publishes the version. Each organisation is counted once, however
 * often its message is delivered.
 */
export interface ReportFanOut {
  /** Records the run and the organisations owed a report; a second start of the same run changes nothing. */
  start(cycleId: string, run: string, organisations: readonly string[], publication: Publication): Promise<void>;
  /**
   * Takes the organisation's report for this worker until `leaseUntil`, unless another worker's
   * claim is live; returns whether it did. Two deliveries of one message at once render once.
   */
  claim(cycleId: string, run: string, organisation: string, now: Date, leaseUntil: Date): Promise<boolean>;
  /** Whether the organisation's report of this run is done already. */
  isDone(cycleId: string, run: string, organisation: string): Promise<boolean>;
  /** Marks the organisation's report done (once) and returns the run's status after it. */
  markDone(cycleId: string, run: string, organisation: string): Promise<FanOutStatus>;
  /** Records that the run's publication was made. */
  markPublished(cycleId: string, run: string): Promise<void>;
  /** The run's status, or undefined when no such run was started. */
  status(cycleId: string, run: string): Promise<FanOutStatus | undefined>;
}
