import { z } from "zod";
import { FileRejectedError } from "../../errors.ts";
import type { RecipientStore } from "../../ports/recipientStore.ts";
import { type RecipientProblem, parseRecipientFile } from "../../reminders/parseRecipientFile.ts";
import type { ConsoleRequest } from "../consoleHttp.ts";
import type { FieldError } from "../errorSummary.ts";
import { errorSummary } from "../errorSummary.ts";
import { type Html, html } from "../html.ts";
import { layout } from "../layout.ts";
import { readMultipart } from "../multipartForm.ts";
import type { Session } from "../session.ts";

/** The largest recipient list the console takes (thousands of people fit in far less; a function URL takes 6 MB). */
export const MAX_LIST_BYTES = 2 * 1024 * 1024;

/** The most problem rows listed (the count covers them all). */
const PROBLEMS_LISTED = 1000;

/** What came of an upload: the list stored (with the rows that were not), or why nothing was. */
export type RecipientUploadOutcome =
  | { ok: true; group: string; stored: number; merged: number; problems: RecipientProblem[] }
  | { ok: false; errors: FieldError[]; chosenGroup: string | undefined };

/**
 * Reads a recipient list from the upload form (multipart: `group` and the file `list`), checks it
 * with parseRecipientFile and stores its good rows for the group, as `asye recipients` does.
 * Problems with the form or the whole file come back as field errors; nothing is stored then.
 */
export async function uploadRecipientList(
  request: ConsoleRequest,
  target: { cycleId: string; groups: readonly string[]; recipients: RecipientStore; now: Date },
): Promise<RecipientUploadOutcome> {
  const form = await readMultipart(request);
  const fields = z
    .object({ group: z.enum(target.groups as [string, ...string[]]).optional().catch(undefined), list: z.instanceof(File).optional().catch(undefined) })
    .parse({ group: form?.get("group") ?? undefined, list: form?.get("list") ?? undefined });
  const errors: FieldError[] = [];
  if (fields.group === undefined) errors.push({ field: "group", message: "Choose the group the list is for" });
  const fileError = listFileError(fields.list);
  if (fileError !== undefined) errors.push({ field: "recipient-file", message: fileError });
  if (errors.length > 0 || fields.group === undefined || fields.list === undefined) return { ok: false, errors, chosenGroup: fields.group };
  const bytes = new Uint8Array(await fields.list.arrayBuffer());
  try {
    const parsed = await parseRecipientFile(
      (async function* () {
        yield bytes;
      })(),
      fields.list.name,
      (token) => target.recipients.hashToken(token),
    );
    await target.recipients.putRecipients(target.cycleId, fields.group, parsed.recipients, target.now);
    return { ok: true, group: fields.group, stored: parsed.recipients.length, merged: parsed.merged, problems: parsed.problems };
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    return { ok: false, errors: [{ field: "recipient-file", message: `The list cannot be used: ${error.reason}` }], chosenGroup: fields.group };
  }
}

function listFileError(file: File | undefined): string | undefined {
  // A form sent with no file chosen carries an empty, nameless file.
  if (file === undefined || (file.size === 0 && file.name === "")) return "Choose a recipient list to upload";
  if (file.size === 0) return "The chosen file is empty";
  if (file.size > MAX_LIST_BYTES) return `The file must be smaller than ${MAX_LIST_BYTES / 1024 / 1024} MB`;
  return undefined;
}

/**
 * The page after a list is stored: how many people, how many duplicates merged, and each row that
 * was not stored with its row number and reason (never the value: it may be someone's address).
 */
export function uploadedPage(data: { cycleId: string; title: string; groupLabel: string; outcome: Extract<RecipientUploadOutcome, { ok: true }> }, session: Session): string {
  const { stored, merged, problems } = data.outcome;
  const listed = problems.slice(0, PROBLEMS_LISTED);
  const summary: FieldError[] = listed.slice(0, 20).map((problem, index) => ({ field: `problem-${index}`, message: `Row ${problem.row}: ${problem.reason} (not stored)` }));
  const main = html`${problems.length > 0 ? errorSummary(summary) : ""}
<div class="govuk-panel govuk-panel--confirmation">
<h1 class="govuk-panel__title">Recipient list stored</h1>
<div class="govuk-panel__body">${stored} ${stored === 1 ? "person" : "people"} on the list for ${data.groupLabel}</div>
</div>
<dl class="govuk-summary-list">
${summaryRow("People stored", String(stored))}
${summaryRow("Duplicates merged (the same address, ignoring case)", String(merged))}
${summaryRow("Rows not stored", String(problems.length))}
</dl>
${problems.length > 0 ? problemsTable(listed, problems.length) : ""}
<p class="govuk-body"><a class="govuk-link" href="/cycles/${data.cycleId}/reminders">Back to invitations and reminders</a></p>`;
  return layout({ title: `Recipient list stored: ${data.title}`, session, main });
}

function summaryRow(key: string, value: string): Html {
  return html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`;
}

function problemsTable(problems: readonly RecipientProblem[], total: number): Html {
  return html`<h2 class="govuk-heading-m">Rows not stored</h2>
<p class="govuk-body">${problems.length < total ? `The first ${problems.length} of ${total}.` : ""} Correct them in the file and upload it again: the people already stored keep what has happened to them.</p>
<table class="govuk-table">
<caption class="govuk-table__caption govuk-visually-hidden">Each row that was not stored, and why</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Row</th><th scope="col" class="govuk-table__header">Column</th><th scope="col" class="govuk-table__header">Problem</th></tr></thead>
<tbody class="govuk-table__body">
${problems.map(
  (problem, index) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header" id="problem-${index}" tabindex="-1">${problem.row}</th><td class="govuk-table__cell">${problem.column}</td><td class="govuk-table__cell">${problem.reason}</td></tr>`,
)}
</tbody>
</table>`;
}
