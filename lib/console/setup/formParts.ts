import { type Html, html } from "../html.ts";

/**
 * A field's errors, beside it: GOV.UK's error message, one line per problem (an uploaded file may
 * have many), with the id the field's aria-describedby names.
 */
export function errorMessages(id: string, messages: readonly string[]): Html {
  if (messages.length === 0) return html``;
  if (messages.length === 1) return html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${messages[0]}</p>`;
  return html`<div id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>
<ul class="govuk-list">${messages.map((message) => html`<li>${message}</li>`)}</ul></div>`;
}

/** The form group's class, with the error state when it has errors. */
export function groupClass(messages: readonly string[]): string {
  return messages.length > 0 ? "govuk-form-group govuk-form-group--error" : "govuk-form-group";
}

/** The `aria-describedby` of a field: its hint, and its errors when it has any. */
export function describedBy(id: string, hasHint: boolean, messages: readonly string[]): Html {
  const ids = [hasHint ? `${id}-hint` : "", messages.length > 0 ? `${id}-error` : ""].filter((part) => part !== "");
  return ids.length === 0 ? html`` : html` aria-describedby="${ids.join(" ")}"`;
}

/** A number of bytes as people read a limit (`256 KB`, `4 MB`). */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
