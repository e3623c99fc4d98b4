import { type Html, html } from "./html.ts";

/** A problem with one field of a form, in the words the CLI gives. */
export interface FieldError {
  field: string;
  message: string;
}

/** GOV.UK's error summary: each problem linked to its field (shown at the top of the page). */
export function errorSummary(errors: readonly FieldError[]): Html {
  if (errors.length === 0) return html``;
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary">
<div role="alert">
<h2 class="govuk-error-summary__title">There is a problem</h2>
<div class="govuk-error-summary__body">
<ul class="govuk-list govuk-error-summary__list">
${errors.map((error) => html`<li><a href="#${error.field}">${error.message}</a></li>`)}
</ul>
</div>
</div>
</div>`;
}
