import type { CycleEntry } from "./cycleListing.ts";
import { formatDateTime } from "../time/formatDateTime.ts";
import { type Html, html } from "./html.ts";
import { layout } from "./layout.ts";
import { canChange } from "./roles.ts";
import type { Session } from "./session.ts";

const STATE_TAGS: Record<NonNullable<CycleEntry["state"]>, { text: string; colour: string }> = {
  "not-yet-open": { text: "Not yet open", colour: "govuk-tag--grey" },
  open: { text: "Open", colour: "govuk-tag--blue" },
  closed: { text: "Closed", colour: "govuk-tag--green" },
};

/** The cycles page: every cycle with its kind, state and when its results were computed. */
export function cyclesPage(entries: readonly CycleEntry[], session: Session): string {
  const main = html`<h1 class="govuk-heading-l">Cycles</h1>
${session.role !== undefined && canChange(session.role) ? html`<a href="/setup" role="button" draggable="false" class="govuk-button">Set up a cycle</a>` : ""}
${entries.length === 0 ? html`<p class="govuk-body">There are no cycles yet.</p>` : cyclesTable(entries)}`;
  return layout({ title: "Cycles", session, main });
}

function cyclesTable(entries: readonly CycleEntry[]): Html {
  return html`<table class="govuk-table">
<caption class="govuk-table__caption govuk-visually-hidden">Every cycle, with its state and its results</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">Cycle</th>
<th scope="col" class="govuk-table__header">Kind</th>
<th scope="col" class="govuk-table__header">State</th>
<th scope="col" class="govuk-table__header">Results</th>
</tr></thead>
<tbody class="govuk-table__body">
${entries.map(
  (entry) => html`<tr class="govuk-table__row">
<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/cycles/${entry.id}">${entry.title ?? entry.id}</a><br><span class="govuk-body-s">${entry.id}</span></th>
<td class="govuk-table__cell">${entry.kind}</td>
<td class="govuk-table__cell">${stateTag(entry)}</td>
<td class="govuk-table__cell">${computedText(entry)}</td>
</tr>`,
)}
</tbody>
</table>`;
}

/** A cycle's state as a GOV.UK tag (kinds without a survey window have none). */
export function stateTag(entry: CycleEntry): Html {
  if (entry.state === undefined) return html`<span class="govuk-body-s">No survey window</span>`;
  const tag = STATE_TAGS[entry.state];
  return html`<strong class="govuk-tag ${tag.colour}">${tag.text}</strong>`;
}

/** When a cycle's published results were computed, and whether they are provisional. */
export function computedText(entry: CycleEntry): string {
  if (entry.computed === null) return "Not computed yet";
  return `${entry.computed.status === "provisional" ? "Provisional, computed" : "Computed"} ${formatDateTime(entry.computed.at)}`;
}
