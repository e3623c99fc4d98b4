import { loadCycleConfig } from "../config/cycleStore.ts";
import type { IngestLedger } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { RecipientStore } from "../ports/recipientStore.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { type ResultsDocument, resultsDocumentSchema } from "../results/resultsSchema.ts";
import { storageKeys } from "../storageKeys.ts";
import { renderReport } from "../report/renderReport.ts";
import { codeVersion } from "../version.ts";
import { buildResults } from "./buildResults.ts";
import type { GroupTally } from "./groupTally.ts";
import { tallyBatch } from "./tallyBatch.ts";

/** What compute needs from the outside world. */
export interface ComputeDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  log: Logger;
  now?: () => Date;
  /** When given, groups with a recipient list take their delivered count from it. */
  recipients?: RecipientStore;
}

/**
 * Computes a cycle's results from the current batch of each group and writes the results
 * document to `results/{cycleId}/results.json`. Safe to run any number of times: it always
 * starts from the current batches, so nothing is counted twice.
 */
export async function computeResults(
  cycleId: string,
  deps: ComputeDeps,
): Promise<{ key: string; document: ResultsDocument }> {
  const config = await loadCycleConfig(deps.store, cycleId);
  const batches = (await deps.ledger.currentBatches(cycleId)).filter((batch) =>
    config.groups.some((group) => group.id === batch.group),
  );
  const tallies = new Map<string, GroupTally>();
  for (const batch of batches) {
    const object = await deps.store.getStream(batch.normalizedKey);
    tallies.set(batch.group, await tallyBatch(object.body, batch.normalizedKey));
  }
  const previous = config.previousCycleId
    ? await loadPreviousResults(deps, config.previousCycleId)
    : undefined;
  const document = resultsDocumentSchema.parse(
    buildResults({
      config,
      tallies,
      batches,
      previous,
      now: (deps.now ?? (() => new Date()))(),
      codeVersion: codeVersion(),
      deliveredByRecipients: deps.recipients
        ? await deliveredByRecipients(deps.recipients, config.id, config.groups.map((g) => g.id))
        : undefined,
    }),
  );
  const key = storageKeys.results(cycleId);
  await deps.store.put(key, `${JSON.stringify(document, null, 2)}\n`, "application/json");
  await deps.store.put(storageKeys.report(cycleId), renderReport(document), "text/html; charset=utf-8");
  deps.log.info("results computed", {
    cycleId,
    key,
    status: document.status,
    groups: batches.length,
  });
  return { key, document };
}

/** Invitations sent minus bounces, for each group whose recipient list has had invitations sent. */
async function deliveredByRecipients(
  recipients: RecipientStore,
  cycleId: string,
  groups: string[],
): Promise<Map<string, number>> {
  const delivered = new Map<string, number>();
  for (const group of groups) {
    const invited = (await recipients.recipients(cycleId, group)).filter((r) => r.invitedAt);
    if (invited.length > 0) delivered.set(group, invited.filter((r) => !r.bouncedAt).length);
  }
  return delivered;
}

async function loadPreviousResults(
  deps: ComputeDeps,
  cycleId: string,
): Promise<ResultsDocument | undefined> {
  const text = await deps.store.getText(storageKeys.results(cycleId));
  if (text === undefined) {
    deps.log.warn("previous cycle has no results; rank changes left empty", {
      previousCycleId: cycleId,
    });
    return undefined;
  }
  const parsed = resultsDocumentSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    deps.log.warn("previous cycle's results do not match the schema; rank changes left empty", {
      previousCycleId: cycleId,
    });
    return undefined;
  }
  return parsed.data;
}
