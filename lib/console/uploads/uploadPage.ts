import { html } from "../html.ts";
import { layout } from "../layout.ts";
import type { Session } from "../session.ts";
import { STAGED_HOURS, STAGED_UPLOAD_MAX_BYTES, UPLOAD_FORM_SECONDS } from "./stagingKeys.ts";
import type { PresignedForm } from "./uploadSigner.ts";

/**
 * The upload page of one group: GOV.UK's file upload in a form that posts straight to S3 (the
 * presigned POST's URL and hidden fields, the file last as S3 requires). No script: the browser
 * sends the form, and S3 sends it back to the check page.
 */
export function uploadPage(place: { cycleId: string; group: string }, form: PresignedForm, session: Session): string {
  const megabytes = Math.floor(STAGED_UPLOAD_MAX_BYTES / (1024 * 1024));
  const main = html`<span class="govuk-caption-l">${place.cycleId}</span>
<h1 class="govuk-heading-l">Upload an export for ${place.group}</h1>
<p class="govuk-body">Choose the export your survey tool gave you (CSV, TSV, text or an Excel workbook, gzipped or not). It is checked first: nothing is ingested until you say so on the next page.</p>
<form method="post" action="${form.url}" enctype="multipart/form-data">
${Object.entries(form.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<div class="govuk-form-group">
<label class="govuk-label govuk-label--m" for="file">The export</label>
<div id="file-hint" class="govuk-hint">At most ${megabytes} MB. Send it within ${UPLOAD_FORM_SECONDS / 60} minutes of opening this page; it is kept for ${STAGED_HOURS} hours.</div>
<input class="govuk-file-upload" id="file" name="file" type="file" accept=".csv,.tsv,.txt,.xlsx,.gz" aria-describedby="file-hint">
</div>
<button type="submit" class="govuk-button">Upload and check</button>
</form>`;
  return layout({ title: `Upload an export for ${place.group}`, session, main, back: { href: `/cycles/${place.cycleId}/uploads`, text: "Uploads" } });
}
