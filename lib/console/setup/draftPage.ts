import { errorSummary, type FieldError } from "../errorSummary.ts";
import { type Html, html } from "../html.ts";
import { layout } from "../layout.ts";
import type { Session } from "../session.ts";
import type { Answers } from "./checkDraft.ts";
import type { DraftRecord } from "./draftStore.ts";
import { describedBy, errorMessages, groupClass } from "./formParts.ts";
import { LEAVE_OUT, type OmitField, omitFields } from "./leaveOut.ts";
import type { TodoField } from "./todoFields.ts";

/** Where the problems that concern no one field are shown (the error summary links there). */
export const DRAFT_PROBLEMS_ID = "draft-problems";

/** The draft's form: what it found, then one field per TODO (pre-filled with the answers so far, else what the draft proposes). */
export interface DraftPageData {
  id: string;
  draft: DraftRecord;
  fields: readonly TodoField[];
  answers: Answers;
  byField: ReadonlyMap<string, readonly string[]>;
  unplaced: readonly string[];
}

/** The id of a field's input (the first checkbox of a list). */
export function inputId(field: TodoField): string {
  return `f-${field.name}`;
}

/** The page that asks the draft's TODOs, each problem beside its field (the CLI's words). */
export function draftPage(data: DraftPageData, session: Session): string {
  const errors: FieldError[] = [
    ...data.unplaced.map((message) => ({ field: DRAFT_PROBLEMS_ID, message })),
    ...data.fields.flatMap((field) => (data.byField.get(field.name) ?? []).map((message) => ({ field: inputId(field), message }))),
  ];
  const main = html`${errorSummary(errors)}
<span class="govuk-caption-l">Drafted from ${data.draft.exportName}</span>
<h1 class="govuk-heading-l">Answer the draft's questions</h1>
<p class="govuk-body">The draft leaves ${data.fields.length} ${data.fields.length === 1 ? "question" : "questions"} to you. Once every answer is valid, the cycle is set up. Your answers are kept with the draft until ${data.draft.expiresAt.slice(0, 16).replace("T", " ")} UTC.</p>
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">What the draft found in the export</span></summary>
<div class="govuk-details__text"><pre class="console-summary" tabindex="0">${data.draft.found.join("\n")}</pre></div></details>
<p class="govuk-body"><a class="govuk-link" href="/setup/drafts/${data.id}/draft.json" download>Download the draft as it stands</a> (JSON) to finish it in an editor, then upload it as a cycle file.</p>
<p class="govuk-body"><a class="govuk-link" href="/setup/drafts/${data.id}/groups/new">Add another group from its export</a> when each group answers its own questionnaire, in its own export: its columns go onto this draft's items.</p>
${data.unplaced.length > 0 ? html`<div class="govuk-form-group govuk-form-group--error" id="${DRAFT_PROBLEMS_ID}" tabindex="-1"><h2 class="govuk-heading-m">Problems with the draft as a whole</h2>${errorMessages(DRAFT_PROBLEMS_ID, data.unplaced)}</div>` : ""}
<form method="post" action="/setup/drafts/${data.id}" novalidate>
<input type="hidden" name="csrf" value="${session.csrf}">
${sections(data)}
<button type="submit" class="govuk-button">Check the answers and set up the cycle</button>
</form>`;
  return layout({ title: errors.length > 0 ? "Error: Answer the draft's questions" : "Answer the draft's questions", session, main, back: { href: "/setup", text: "Set up a cycle" } });
}

function sections(data: DraftPageData): Html[] {
  const parts: Html[] = [];
  const omits = omitFields(data.fields);
  let section: string | undefined;
  for (const field of data.fields) {
    if (field.section !== section) {
      parts.push(html`<h2 class="govuk-heading-m">${field.section}</h2>`);
      const omit = omits.find((candidate) => candidate.section === field.section);
      if (omit !== undefined) parts.push(leaveOutBox(omit, data.answers[omit.name]?.includes(LEAVE_OUT) === true));
    }
    section = field.section;
    const given = Object.hasOwn(data.answers, field.name) ? (data.answers[field.name] ?? []) : field.proposed;
    parts.push(fieldHtml(field, given, data.byField.get(field.name) ?? []));
  }
  return parts;
}

function fieldHtml(field: TodoField, given: readonly string[], messages: readonly string[]): Html {
  const id = inputId(field);
  if (field.kind === "list" && field.choices !== undefined) return checkboxes(field, given, messages);
  const hint = field.kind === "list" ? `${field.hint === undefined ? "" : `${field.hint}. `}One answer per line.` : field.hint;
  const control =
    field.kind === "list"
      ? html`<textarea class="govuk-textarea${messages.length > 0 ? " govuk-textarea--error" : ""}" id="${id}" name="${field.name}" rows="3"${describedBy(id, hint !== undefined, messages)}>${given.join("\n")}</textarea>`
      : html`<input class="govuk-input${field.kind === "whole-number" ? " govuk-input--width-10" : ""}${messages.length > 0 ? " govuk-input--error" : ""}" id="${id}" name="${field.name}" type="text"${field.kind === "whole-number" ? html` inputmode="numeric"` : ""} spellcheck="false" value="${given[0] ?? ""}"${describedBy(id, hint !== undefined, messages)}>`;
  return html`<div class="${groupClass(messages)}">
<label class="govuk-label" for="${id}">${field.question} <span class="govuk-visually-hidden">(${field.section})</span></label>
${hint === undefined ? "" : html`<div id="${id}-hint" class="govuk-hint">${hint}</div>`}
${errorMessages(id, messages)}
${control}
</div>`;
}

function leaveOutBox(omit: OmitField, ticked: boolean): Html {
  const id = `f-${omit.name}`;
  const what = omit.list === "items" ? "item" : "question";
  return html`<div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
<div class="govuk-checkboxes__item">
<input class="govuk-checkboxes__input" id="${id}" name="${omit.name}" type="checkbox" value="${LEAVE_OUT}" aria-describedby="${id}-hint"${ticked ? html` checked` : ""}>
<label class="govuk-label govuk-checkboxes__label" for="${id}">Leave this ${what} out of the cycle</label>
<div id="${id}-hint" class="govuk-hint govuk-checkboxes__hint">When its column is no question reported as a share (ethnicity or a role, say): its answers below are then not needed, nor its scale if no other item uses it.</div>
</div></div></div>`;
}

function checkboxes(field: TodoField, given: readonly string[], messages: readonly string[]): Html {
  const id = inputId(field);
  const chosen = new Set(given);
  return html`<div class="${groupClass(messages)}">
<fieldset class="govuk-fieldset"${describedBy(id, field.hint !== undefined, messages)}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${field.question} <span class="govuk-visually-hidden">(${field.section})</span></legend>
${field.hint === undefined ? "" : html`<div id="${id}-hint" class="govuk-hint">${field.hint}</div>`}
${errorMessages(id, messages)}
<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
${(field.choices ?? []).map(
  (choice, index) => html`<div class="govuk-checkboxes__item">
<input class="govuk-checkboxes__input" id="${index === 0 ? id : `${id}-${index}`}" name="${field.name}" type="checkbox" value="${choice}"${chosen.has(choice) ? html` checked` : ""}>
<label class="govuk-label govuk-checkboxes__label" for="${index === 0 ? id : `${id}-${index}`}">${choice}</label>
</div>`,
)}
</div>
</fieldset>
</div>`;
}
