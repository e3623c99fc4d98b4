import { z } from "zod";
import { listCycles, loadCycle } from "../config/cycleStore.ts";
import { cycleKinds } from "../kinds/registry.ts";
import type { IngestLedger, Publication } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { readPublishedDocument } from "../publication/publishResults.ts";

/** What the console reads cycles from: the stored cycle files, the ledger's publications. */
export interface CycleReadDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  log: Logger;
  now: () => Date;
}

/** The parts of a kind's API listing entry (`GET /cycles`) the console shows; every kind gives an id. */
const listEntrySchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  kind: z.string(),
  state: z.enum(["not-yet-open", "open", "closed"]).optional(),
  computed: z.object({ at: z.string(), status: z.enum(["provisional", "final"]).optional() }).loose().nullable(),
});

/** One cycle as the console lists it. */
export type CycleEntry = z.infer<typeof listEntrySchema>;

/** Every stored cycle, as the results API lists them (kind by kind in the registry's order). */
export async function listCycleEntries(deps: CycleReadDeps): Promise<CycleEntry[]> {
  const { cycles, invalid } = await listCycles(deps.store);
  for (const entry of invalid) deps.log.warn("a stored cycle configuration is invalid", entry);
  const entries: CycleEntry[] = [];
  for (const cycle of cycleKinds().flatMap((kind) => cycles.filter((c) => c.type === kind))) {
    const loaded = await readPublishedDocument(cycle.config.id, cycle.type.resultsSchema, deps);
    entries.push(listEntrySchema.parse(cycle.type.listEntry(cycle.config, loaded.status === "ok" ? loaded.document : undefined, deps.now())));
  }
  return entries;
}

/** One cycle's page data: its entry, its published results in words, and the published version's files. */
export interface CycleDetail {
  entry: CycleEntry;
  /** The kind's plain-text summary of the published results, one line each (the headline figures). */
  summary: string[];
  publication: Publication | undefined;
}

/** A cycle's detail; throws UnknownCycleError when there is no such cycle. */
export async function cycleDetail(cycleId: string, deps: CycleReadDeps): Promise<CycleDetail> {
  const cycle = await loadCycle(deps.store, cycleId);
  const loaded = await readPublishedDocument(cycleId, cycle.type.resultsSchema, deps);
  const document = loaded.status === "ok" ? loaded.document : undefined;
  if (loaded.status === "unreadable") deps.log.warn("a cycle's results are unreadable; shown as not computed", { cycleId, error: loaded.error });
  const entry = listEntrySchema.parse(cycle.type.listEntry(cycle.config, document, deps.now()));
  const summary = document === undefined ? [] : cycle.type.summarize(document).split("\n").filter((line) => line.trim() !== "");
  const publication = document === undefined ? undefined : await deps.ledger.published(cycleId);
  return { entry, summary, publication };
}

/** Whether a cycle's results are provisional (the survey is still open, or they were computed while it was). */
export function isProvisional(entry: CycleEntry): boolean {
  return entry.state === "open" || entry.computed?.status === "provisional";
}
