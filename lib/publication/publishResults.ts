import type { IngestLedger, Publication } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { storageKeys } from "../storageKeys.ts";
import { altTextFile } from "./figureAltText.ts";

/** What publishing needs. */
export interface PublishDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  log: Logger;
}

/** Rounds of re-copying the published version to the fixed keys before giving up to the next compute. */
const ALIAS_ROUNDS = 5;

/** One output file of a compute: its name under the version folder, its bytes and type. */
export interface OutputFile {
  name: string;
  body: string | Uint8Array;
  contentType: string;
}

/**
 * Publishes one compute's outputs (the JSON, the report, the workbook and the tables' CSV) so
 * that readers never see stale or mixed results:
 * 1. every file is written under a version of its own, never overwritten;
 * 2. the ledger's pointer is switched to that version in one conditional write, which fails when
 *    a compute that read a later generation (or the same one, later) has published already:
 *    then nothing else is done, and the newer results stand;
 * 3. the version is copied to the fixed keys (`results/{cycleId}/results.json`, …) and the
 *    pointer is read again; if a newer compute has switched it in the meantime, its version is
 *    copied instead, so the copies end at the newest results.
 * A crash between steps leaves the previous publication whole (1), or the new one published
 * with copies that the next compute repairs (3).
 */
export async function publishResults(document: { cycle: { id: string }; provenance: { generation: number; computedAt: string } }, outputs: readonly OutputFile[], deps: PublishDeps): Promise<{ key: string; published: boolean }> {
  const publication = await writeVersion(document.cycle.id, document.provenance, [resultsFile(document), ...outputs], deps.store);
  return { key: publication.resultsKey, published: await publishVersion(publication, deps) };
}

/** `results.json` as a compute writes it. */
export function resultsFile(document: unknown): OutputFile {
  return { name: "results.json", body: `${JSON.stringify(document, null, 2)}\n`, contentType: "application/json" };
}

/**
 * Writes one compute's files under a version folder of its own (step 1 above), `results.json`
 * (the first file) last, and returns the publication that would point at them. Figures
 * (`figures/figure-N.svg`) are published with their alternative text (`figures/alt-text.csv`).
 */
export async function writeVersion(
  cycleId: string,
  provenance: { generation: number; computedAt: string },
  outputs: readonly OutputFile[],
  store: ObjectStore,
): Promise<Publication> {
  const altText = altTextFile(outputs);
  const files = altText ? [...outputs, altText] : outputs;
  const folder = storageKeys.resultsVersion(cycleId, provenance.generation, provenance.computedAt);
  // The JSON last: a version folder whose results.json exists is complete. The others in parallel.
  await inParallel(files.slice(1), (file) => store.put(`${folder}/${file.name}`, file.body, file.contentType));
  await store.put(`${folder}/${files[0]!.name}`, files[0]!.body, files[0]!.contentType);
  return {
    cycleId,
    generation: provenance.generation,
    computedAt: provenance.computedAt,
    resultsKey: `${folder}/results.json`,
    reportKey: `${folder}/report.html`,
    folder,
    files: files.map((file) => file.name),
  };
}

/**
 * Switches the ledger's pointer to a written version and copies it to the fixed keys (steps 2
 * and 3 above). Returns false, doing nothing else, when newer results are published already.
 */
export async function publishVersion(publication: Publication, deps: PublishDeps): Promise<boolean> {
  const cycleId = publication.cycleId;
  if (!(await deps.ledger.publish(publication))) return false;
  let copied = publication;
  for (let round = 0; round < ALIAS_ROUNDS; round++) {
    const folder = copied.folder ?? copied.resultsKey.replace(/\/results\.json$/, "");
    await inParallel(copied.files ?? ["results.json", "report.html"], (name) => deps.store.copy(`${folder}/${name}`, storageKeys.publishedFile(cycleId, name)));
    const now = await deps.ledger.published(cycleId);
    if (now === undefined || now.resultsKey === copied.resultsKey) break;
    copied = now;
  }
  return true;
}

/** A cycle's published `results.json`, validated by `schema` (its kind's results schema): through the ledger's pointer, else the fixed key (older data). */
export async function readPublishedDocument<T>(
  cycleId: string,
  schema: { parse(value: unknown): T },
  deps: Pick<PublishDeps, "store" | "ledger">,
): Promise<{ status: "ok"; document: T } | { status: "missing" } | { status: "unreadable"; error: string }> {
  const publication = await deps.ledger.published(cycleId);
  const text = await deps.store.getText(publication?.resultsKey ?? storageKeys.results(cycleId));
  if (text === undefined) return { status: "missing" };
  try {
    return { status: "ok", document: schema.parse(JSON.parse(text)) };
  } catch (error) {
    return { status: "unreadable", error: String(error).slice(0, 300) };
  }
}

/** Requests to the store at once while writing or copying a version's files. */
const PARALLEL_REQUESTS = 8;

/** Runs `work` on every item, at most {@link PARALLEL_REQUESTS} at a time; rejects with the first failure. */
async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, items.length) }, worker));
}
