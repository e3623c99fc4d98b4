import { z } from "zod";
import { publishVersion } from "../publication/publishResults.ts";
import type { IngestLedger } from "../ports/ingestLedger.ts";
import type { Logger } from "../ports/logger.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import type { ReportFanOut } from "../ports/reportFanOut.ts";
import type { EvaluationConfig } from "./evaluationConfig.ts";
import { organisationResultsSchema } from "./evaluationResultsSchema.ts";
import { organisationReportHtml } from "./organisationReport.ts";

/** A fan-out message, as the compute sends it. */
export const organisationReportMessageSchema = z.strictObject({
  cycleId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  folder: z.string().startsWith("results/"),
  organisation: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
});

/** What rendering one organisation's report needs. */
export interface OrganisationReportDeps {
  store: ObjectStore;
  ledger: IngestLedger;
  fanOut: ReportFanOut;
  log: Logger;
  /** Prints the report's HTML to PDF; without it only the HTML is written. */
  printPdf?: (html: string, title: string) => Promise<Uint8Array>;
  now?: () => Date;
  /** How long this worker's claim on the organisation lasts (its remaining time and a margin). */
  leaseMs?: number;
}

/** Another worker is rendering this organisation's report: the message is to be retried later. */
export class ReportBusyError extends Error {
  constructor(organisation: string) {
    super(`the report of ${organisation} is being rendered by another worker`);
    this.name = "ReportBusyError";
  }
}

/**
 * Handles one fan-out message: renders the organisation's report (HTML and PDF) from the data
 * the compute wrote into the version folder, marks it done in the completion record, and, when
 * that makes every report of the run done, publishes the version. A redelivered message whose
 * report is done renders nothing; it only finishes a publication a crash may have cut short.
 * A claim with a lease makes two deliveries at once render once: the second throws
 * {@link ReportBusyError} and comes back after the visibility timeout.
 */
export async function renderOrganisationReport(body: string, config: Pick<EvaluationConfig, "rag" | "scale" | "timezone">, deps: OrganisationReportDeps): Promise<"rendered" | "already-done"> {
  const message = organisationReportMessageSchema.parse(JSON.parse(body));
  const { cycleId, folder, organisation } = message;
  let outcome: "rendered" | "already-done" = "already-done";
  let status = await deps.fanOut.status(cycleId, folder);
  if (status === undefined) throw new Error(`no fan-out ${folder} of ${cycleId} was started`);
  if (!(await deps.fanOut.isDone(cycleId, folder, organisation))) {
    const now = (deps.now ?? (() => new Date()))();
    if (!(await deps.fanOut.claim(cycleId, folder, organisation, now, new Date(now.getTime() + (deps.leaseMs ?? 5 * 60_000))))) throw new ReportBusyError(organisation);
    const text = await deps.store.getText(`${folder}/organisations/${organisation}.json`);
    if (text === undefined) throw new Error(`${folder}/organisations/${organisation}.json is missing`);
    const results = organisationResultsSchema.parse(JSON.parse(text));
    const html = organisationReportHtml(config, results);
    await deps.store.put(`${folder}/organisations/${organisation}.html`, html, "text/html; charset=utf-8");
    if (deps.printPdf) {
      const pdf = await deps.printPdf(html, `${results.organisation.name}: ${results.cycle.title}`);
      await deps.store.put(`${folder}/organisations/${organisation}.pdf`, pdf, "application/pdf");
    }
    status = await deps.fanOut.markDone(cycleId, folder, organisation);
    outcome = "rendered";
  }
  if (status.done === status.expected && !status.published) {
    const published = await publishVersion(status.publication, deps);
    await deps.fanOut.markPublished(cycleId, folder);
    deps.log.info(published ? "every personalised report is rendered; the version is published" : "every personalised report is rendered; newer results were published already", { cycleId, folder, reports: status.expected });
  }
  return outcome;
}
