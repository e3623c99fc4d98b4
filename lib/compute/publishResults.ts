import type { IngestLedger, Publication } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { type ResultsDocument, resultsDocumentSchema } from "../results/resultsSchema.ts";
import { storageKeys } from "../storageKeys.ts";

/** What publishing needs. */
export interface PublishDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  log: Logger;
}

/** Rounds of re-copying the published version to the fixed keys before giving up to the next compute. */
const ALIAS_ROUNDS = 5;

/**
 * Publishes one compute's outputs so that readers never see stale or mixed results:
 * 1. the JSON and the report are written under a version of their own, never overwritten;
 * 2. the ledger's pointer is switched to them in one conditional write, which fails when a
 *    compute that read a later generation (or the same one, later) has published already:
 *    then nothing else is done, and the newer results stand;
 * 3. the version is copied to `results/{cycleId}/results.json` and `report.html` for readers of
 *    the fixed keys, and the pointer is read again; if a newer compute has switched it in the
 *    meantime, its version is copied instead, so the copies end at the newest results.
 * A crash between steps leaves the previous publication whole (1), or the new one published
 * with copies that the next compute repairs (3).
 */
export async function publishResults(document: ResultsDocument, html: string, deps: PublishDeps): Promise<{ key: string; published: boolean }> {
  const cycleId = document.cycle.id;
  const version = storageKeys.resultsVersion(cycleId, document.provenance.generation, document.provenance.computedAt);
  await deps.store.put(version.results, `${JSON.stringify(document, null, 2)}\n`, "application/json");
  await deps.store.put(version.report, html, "text/html; charset=utf-8");
  const publication: Publication = {
    cycleId,
    generation: document.provenance.generation,
    computedAt: document.provenance.computedAt,
    resultsKey: version.results,
    reportKey: version.report,
  };
  if (!(await deps.ledger.publish(publication))) return { key: version.results, published: false };
  let copied = publication;
  for (let round = 0; round < ALIAS_ROUNDS; round++) {
    await copyObject(deps.store, copied.resultsKey, storageKeys.results(cycleId), "application/json");
    await copyObject(deps.store, copied.reportKey, storageKeys.report(cycleId), "text/html; charset=utf-8");
    const now = await deps.ledger.published(cycleId);
    if (now === undefined || now.resultsKey === copied.resultsKey) break;
    copied = now;
  }
  return { key: version.results, published: true };
}

/** A cycle's published results: through the ledger's pointer, else the fixed key (older data). */
export async function readPublishedResults(
  cycleId: string,
  deps: Pick<PublishDeps, "store" | "ledger">,
): Promise<{ status: "ok"; document: ResultsDocument } | { status: "missing" } | { status: "unreadable"; error: string }> {
  const publication = await deps.ledger.published(cycleId);
  const text = await deps.store.getText(publication?.resultsKey ?? storageKeys.results(cycleId));
  if (text === undefined) return { status: "missing" };
  try {
    return { status: "ok", document: resultsDocumentSchema.parse(JSON.parse(text)) };
  } catch (error) {
    return { status: "unreadable", error: String(error).slice(0, 300) };
  }
}

async function copyObject(store: ObjectStore, from: string, to: string, contentType: string): Promise<void> {
  const text = await store.getText(from);
  if (text !== undefined) await store.put(to, text, contentType);
}
