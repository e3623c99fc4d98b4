import { errorSummary, type FieldError } from "../errorSummary.ts";
import { type Html, html } from "../html.ts";
import { layout } from "../layout.ts";
import type { Session } from "../session.ts";
import { PRESETS } from "../../sources/presets/index.ts";
import { SOURCE_TOOLS } from "../../sources/sourceSchema.ts";
import { describedBy, errorMessages, groupClass, sizeText } from "./formParts.ts";
import { CYCLE_FILE_MAX_BYTES, EXPORT_MAX_BYTES } from "../multipartForm.ts";

/** The set-up page's ids of its fields (the error summary links to them). */
export const SETUP_FIELDS = { cycleFile: "cycle-file", exportFile: "export-file", group: "group", tool: "tool" } as const;

/** What the set-up page shows again after a refused form: the problems by field, and what was typed. */
export interface SetupPageState {
  /** The refused cycle file's first line as the CLI prints it (`x.json is not a valid cycle configuration:`). */
  heading?: string;
  errors: FieldError[];
  group?: string;
  tool?: string;
}

/** "Set up a cycle": upload a cycle file, or draft one from an export (both multipart forms with the session's CSRF token). */
export function setupPage(session: Session, state: SetupPageState = { errors: [] }): string {
  const main = html`${errorSummary(state.errors)}
<h1 class="govuk-heading-l">Set up a cycle</h1>
<p class="govuk-body">Upload a finished cycle file, or draft one from an export and answer what the draft leaves to you.</p>
${cycleFileForm(session.csrf, state)}
${draftForm(session.csrf, state)}`;
  return layout({ title: state.errors.length > 0 ? "Error: Set up a cycle" : "Set up a cycle", session, main, back: { href: "/cycles", text: "All cycles" } });
}

function messagesFor(state: SetupPageState, field: string): string[] {
  return state.errors.filter((error) => error.field === field).map((error) => error.message);
}

function cycleFileForm(csrf: string, state: SetupPageState): Html {
  const id = SETUP_FIELDS.cycleFile;
  const messages = messagesFor(state, id);
  return html`<h2 class="govuk-heading-m">Upload a cycle file</h2>
<form method="post" action="/setup/cycle-file" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrf" value="${csrf}">
<div class="${groupClass(messages)}">
<label class="govuk-label govuk-label--s" for="${id}">Cycle file (JSON)</label>
<div id="${id}-hint" class="govuk-hint">An annual-survey, 360-tool or outcomes cycle file, checked as <code>asye validate</code> checks it. At most ${sizeText(CYCLE_FILE_MAX_BYTES)}.</div>
${messages.length > 0 && state.heading !== undefined ? html`<p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">${state.heading}</p>` : ""}
${errorMessages(id, messages)}
<input class="govuk-file-upload${messages.length > 0 ? " govuk-file-upload--error" : ""}" id="${id}" name="file" type="file" accept=".json,application/json"${describedBy(id, true, messages)}>
</div>
<button type="submit" class="govuk-button">Upload and check the cycle file</button>
</form>`;
}

function draftForm(csrf: string, state: SetupPageState): Html {
  const id = SETUP_FIELDS.exportFile;
  const messages = messagesFor(state, id);
  const groupMessages = messagesFor(state, SETUP_FIELDS.group);
  return html`<h2 class="govuk-heading-m">Draft a cycle file from an export</h2>
<p class="govuk-body">As <code>asye init</code> does: the tool, the columns, the scales and the multi-select questions are read from one group's export, and you answer the rest in a form. The export itself is not kept.</p>
<form method="post" action="/setup/draft" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrf" value="${csrf}">
<div class="${groupClass(messages)}">
<label class="govuk-label govuk-label--s" for="${id}">Export</label>
<div id="${id}-hint" class="govuk-hint">CSV, TSV or xlsx as the survey tool wrote it (gzip too). At most ${sizeText(EXPORT_MAX_BYTES)} here: draft from a bigger export with <code>asye init</code>, or use the staged upload.</div>
${errorMessages(id, messages)}
<input class="govuk-file-upload${messages.length > 0 ? " govuk-file-upload--error" : ""}" id="${id}" name="file" type="file" accept=".csv,.tsv,.txt,.xlsx,.gz"${describedBy(id, true, messages)}>
</div>
<div class="${groupClass(groupMessages)}">
<label class="govuk-label govuk-label--s" for="${SETUP_FIELDS.group}">Group id (optional)</label>
<div id="${SETUP_FIELDS.group}-hint" class="govuk-hint">Lower-case letters, digits and dashes, e.g. leads. Without one, it is taken from the file's name.</div>
${errorMessages(SETUP_FIELDS.group, groupMessages)}
<input class="govuk-input govuk-input--width-20${groupMessages.length > 0 ? " govuk-input--error" : ""}" id="${SETUP_FIELDS.group}" name="group" type="text" spellcheck="false" value="${state.group ?? ""}"${describedBy(SETUP_FIELDS.group, true, groupMessages)}>
</div>
${toolSelect(state.tool)}
<button type="submit" class="govuk-button govuk-button--secondary">Draft a cycle file</button>
</form>`;
}

function toolSelect(chosen: string | undefined): Html {
  return html`<div class="govuk-form-group">
<label class="govuk-label govuk-label--s" for="${SETUP_FIELDS.tool}">Tool that wrote the export</label>
<select class="govuk-select" id="${SETUP_FIELDS.tool}" name="tool">
<option value=""${chosen ? "" : html` selected`}>Recognise it from the header</option>
${SOURCE_TOOLS.map((tool) => html`<option value="${tool}"${chosen === tool ? html` selected` : ""}>${PRESETS[tool].name}</option>`)}
</select>
</div>`;
}
