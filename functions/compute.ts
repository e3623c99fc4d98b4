import type { Context } from "aws-lambda";
import { Resource } from "sst/resource";
import { z } from "zod";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoIngestLedger } from "../lib/adapters/dynamoIngestLedger.ts";
import { DynamoRecipientStore } from "../lib/adapters/dynamoRecipientStore.ts";
import { S3ObjectStore } from "../lib/adapters/s3ObjectStore.ts";
import { DynamoReportFanOut } from "../lib/adapters/dynamoReportFanOut.ts";
import { workQueueFor } from "../lib/adapters/workQueueFor.ts";
import { computeResults } from "../lib/survey/compute/computeResults.ts";
import { loadCycle } from "../lib/config/cycleStore.ts";
import { computeEvaluation } from "../lib/evaluation360/computeEvaluation.ts";
import { computeOutcomes } from "../lib/outcomes/computeOutcomes.ts";
import { objectKey, s3EventSchema } from "../lib/events/s3EventSchema.ts";
import { createLogger } from "../lib/logging/createLogger.ts";
import { renderWithChromium } from "../lib/render/renderWithChromium.ts";
import { printPdf } from "../lib/render/warmPdfPrinter.ts";
import { parseReceiptKey } from "../lib/storageKeys.ts";

const log = createLogger();
const clients = createAwsClients(endpointsFromEnvironment());

/** An on-demand run: `{ "cycleId": "asye-cf-2025" }`. */
const onDemandSchema = z.object({ cycleId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) });

/**
 * Recomputes a cycle's results: on an ingest receipt (`ingested/{cycleId}/…`, S3 event) or on
 * demand with `{ cycleId }`. Returns the results key of each cycle computed. A 360 cycle's
 * national results are computed here and its personalised reports fanned out to the
 * OrganisationReports queue (published when the last is rendered).
 */
export async function handler(
  event: unknown,
  context?: Context,
): Promise<{ cycleId: string; key: string; status: string; published: boolean }[]> {
  if (context) log.addContext(context);
  const cycleIds = cyclesOf(event);
  const deps = {
    store: new S3ObjectStore(clients.s3, Resource.SurveyData.name),
    ledger: new DynamoIngestLedger(clients.dynamodb, Resource.Ledger.name),
    recipients: new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name, Resource.RecipientHashKey.value),
    log,
    // The PDF needs Chromium (installed beside the bundle in AWS); the local runtime may turn it off.
    ...(process.env.ASYE_RENDER_PDF === "false" ? {} : { render: renderWithChromium }),
  };
  const done = [];
  for (const cycleId of cycleIds) {
    const cycle = await loadCycle(deps.store, cycleId);
    if (cycle.kind === "evaluation360") {
      const fanOut = new DynamoReportFanOut(clients.dynamodb, Resource.Ledger.name);
      const reportQueue = workQueueFor(Resource.OrganisationReports.url);
      const { folder, organisations } = await computeEvaluation(cycle.config, { ...deps, fanOut, reportQueue, reportsAsPdf: deps.render !== undefined, ...(deps.render ? { printPdf } : {}) });
      done.push({ cycleId, key: `${folder}/results.json`, status: `${organisations} personalised reports queued`, published: organisations === 0 });
      continue;
    }
    if (cycle.kind === "outcomes") {
      const { results, published } = await computeOutcomes(cycle.config, { ...deps, ...(deps.render ? { printPdf } : {}) });
      done.push({ cycleId, key: `results/${cycleId}/results.json`, status: `${results.analysis?.completeCases ?? 0} complete cases`, published });
      continue;
    }
    const { key, document, published } = await computeResults(cycleId, deps);
    done.push({ cycleId, key, status: document.status, published });
  }
  return done;
}

function cyclesOf(event: unknown): string[] {
  const onDemand = onDemandSchema.safeParse(event);
  if (onDemand.success) return [onDemand.data.cycleId];
  const notification = s3EventSchema.parse(event);
  const ids = notification.Records.map(
    (record) => parseReceiptKey(objectKey(record))?.cycleId,
  ).filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
