import { type Html, html } from "../html.ts";

/** GOV.UK's summary list: one key and value per row. */
export function summaryList(rows: readonly (readonly [string, Html | string])[]): Html {
  return html`<dl class="govuk-summary-list">
${rows.map(([key, value]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`)}
</dl>`;
}

/** A table's parts: its caption (also the name of its scrolling box), the column headings, and rows whose first cell heads the row. */
export interface TableParts {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly (Html | string | number)[])[];
  /** Columns (0-based) whose cells are numbers, set right. */
  numeric?: readonly number[];
  /** The caption's size: m for a section's table, s for one of several. */
  size?: "m" | "s";
}

/** A GOV.UK table in a box that scrolls sideways on its own at 390 px (keyboard-focusable, named by its caption). */
export function dataTable(parts: TableParts): Html {
  const numeric = new Set(parts.numeric ?? []);
  const cellClass = (column: number) => `govuk-table__cell${numeric.has(column) ? " govuk-table__cell--numeric" : ""}`;
  return html`<div class="console-scroll" tabindex="0" role="region" aria-label="${parts.caption}">
<table class="govuk-table">
<caption class="govuk-table__caption govuk-table__caption--${parts.size ?? "m"}">${parts.caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${parts.head.map((cell, column) => html`<th scope="col" class="govuk-table__header${numeric.has(column) ? " govuk-table__header--numeric" : ""}">${cell}</th>`)}</tr></thead>
<tbody class="govuk-table__body">
${parts.rows.map(([first = "", ...cells]) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${first}</th>${cells.map((cell, i) => html`<td class="${cellClass(i + 1)}">${cell}</td>`)}</tr>`)}
</tbody>
</table>
</div>`;
}

/** GOV.UK's warning text: an icon and a sentence in bold. */
export function warningText(text: string): Html {
  return html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${text}</strong></div>`;
}
