import { errorSummary, type FieldError } from "../errorSummary.ts";
import { type Html, html } from "../html.ts";
import { layout } from "../layout.ts";
import { EXPORT_MAX_BYTES } from "../multipartForm.ts";
import type { Session } from "../session.ts";
import { describedBy, errorMessages, groupClass, sizeText } from "./formParts.ts";
import type { AddedColumn, ColumnChoice, DraftShape } from "./mergeGroup.ts";

/** The ids of the "add another group" form's fields (the error summary links to them). */
export const ADD_GROUP_FIELDS = { exportFile: "export-file", group: "group" } as const;

/** "Add another group from its export": the export and its group id (a multipart form with the CSRF token). */
export function addGroupPage(draftId: string, session: Session, errors: readonly FieldError[] = [], group = ""): string {
  const file = ADD_GROUP_FIELDS.exportFile;
  const fileMessages = errors.filter((error) => error.field === file).map((error) => error.message);
  const groupMessages = errors.filter((error) => error.field === ADD_GROUP_FIELDS.group).map((error) => error.message);
  const main = html`${errorSummary(errors)}
<h1 class="govuk-heading-l">Add another group from its export</h1>
<p class="govuk-body">The export is drafted as the first was, under its own group id. Next you say which of the draft's items each of its columns is; its label and delivered count join the draft's questions. Answers you have not yet sent with "Check the answers" are not kept.</p>
<form method="post" action="/setup/drafts/${draftId}/groups" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrf" value="${session.csrf}">
<div class="${groupClass(fileMessages)}">
<label class="govuk-label govuk-label--s" for="${file}">The group's export</label>
<div id="${file}-hint" class="govuk-hint">CSV, TSV or xlsx as the survey tool wrote it (gzip too). At most ${sizeText(EXPORT_MAX_BYTES)}. The export itself is not kept.</div>
${errorMessages(file, fileMessages)}
<input class="govuk-file-upload${fileMessages.length > 0 ? " govuk-file-upload--error" : ""}" id="${file}" name="file" type="file" accept=".csv,.tsv,.txt,.xlsx,.gz"${describedBy(file, true, fileMessages)}>
</div>
<div class="${groupClass(groupMessages)}">
<label class="govuk-label govuk-label--s" for="${ADD_GROUP_FIELDS.group}">Group id</label>
<div id="${ADD_GROUP_FIELDS.group}-hint" class="govuk-hint">Lower-case letters, digits and dashes, e.g. assessors.</div>
${errorMessages(ADD_GROUP_FIELDS.group, groupMessages)}
<input class="govuk-input govuk-input--width-20${groupMessages.length > 0 ? " govuk-input--error" : ""}" id="${ADD_GROUP_FIELDS.group}" name="group" type="text" spellcheck="false" value="${group}"${describedBy(ADD_GROUP_FIELDS.group, true, groupMessages)}>
</div>
<button type="submit" class="govuk-button">Draft the group's export</button>
</form>`;
  return layout({ title: errors.length > 0 ? "Error: Add another group" : "Add another group", session, main, back: { href: `/setup/drafts/${draftId}`, text: "Back to the draft" } });
}

/** What the columns page shows: the added group's columns, the draft's items they may go onto, and the choices so far. */
export interface ColumnsPageData {
  draftId: string;
  group: string;
  exportName: string;
  base: DraftShape;
  columns: readonly AddedColumn[];
  choices: ReadonlyMap<number, ColumnChoice>;
  problems: ReadonlyMap<number, string>;
}

/** The form field of an added column's choice. */
export function columnField(index: number): string {
  return `c${index}`;
}

/** A choice as the select sends it. */
export function choiceValue(choice: ColumnChoice): string {
  return typeof choice === "object" ? `item-${choice.onto}` : choice;
}

/** "Which item is each column": one select per column of the added export, proposed by its header's words. */
export function columnsPage(data: ColumnsPageData, session: Session): string {
  const errors = data.columns.flatMap((column) => {
    const message = data.problems.get(column.index);
    return message === undefined ? [] : [{ field: `f-${columnField(column.index)}`, message }];
  });
  const main = html`${errorSummary(errors)}
<span class="govuk-caption-l">Group ${data.group}, drafted from ${data.exportName}</span>
<h1 class="govuk-heading-l">Which item is each column?</h1>
<p class="govuk-body">Each column of this export on answers the draft has already is proposed as the draft's item whose column's words are likest. Choose another item, a new item (its id and wording then join the draft's questions), or leave the column out of the cycle.</p>
<form method="post" action="/setup/drafts/${data.draftId}/groups/columns" novalidate>
<input type="hidden" name="csrf" value="${session.csrf}">
${data.columns.map((column) => columnSelect(data, column))}
<button type="submit" class="govuk-button">Add the group to the draft</button>
</form>`;
  return layout({ title: errors.length > 0 ? "Error: Which item is each column?" : "Which item is each column?", session, main, back: { href: `/setup/drafts/${data.draftId}`, text: "Back to the draft" } });
}

function columnSelect(data: ColumnsPageData, column: AddedColumn): Html {
  const id = `f-${columnField(column.index)}`;
  const problem = data.problems.get(column.index);
  const messages = problem === undefined ? [] : [problem];
  const chosen = choiceValue(data.choices.get(column.index) ?? column.proposed);
  const option = (value: string, text: string) => html`<option value="${value}"${chosen === value ? html` selected` : ""}>${text}</option>`;
  const itemText = (at: number) => {
    const columns = Object.entries(data.base.questionnaire.items[at]!.columns);
    return `The item of ${columns.map(([group, header]) => `“${header}” (${group})`).join(", ")}`;
  };
  return html`<div class="${groupClass(messages)}">
<label class="govuk-label govuk-label--s" for="${id}">Column “${column.header}”</label>
${errorMessages(id, messages)}
<select class="govuk-select console-wide-select${messages.length > 0 ? " govuk-select--error" : ""}" id="${id}" name="${columnField(column.index)}"${describedBy(id, false, messages)}>
${column.candidates.map((at) => option(`item-${at}`, itemText(at)))}
${option("new", "A new item")}
${option("leave-out", "Leave it out of the cycle")}
</select>
</div>`;
}
