import { type CycleDetail, isProvisional } from "./cycleListing.ts";
import type { HeadlineTable } from "./headlineTables.ts";
import { computedText, stateTag } from "./cyclesPage.ts";
import { type Html, html } from "./html.ts";
import { layout } from "./layout.ts";
import { canChange } from "./roles.ts";
import type { Session } from "./session.ts";

/** A cycle page's content: the cycle, its Table 6 when published (header row first), and whether it may be recomputed here. */
export interface CyclePageData {
  detail: CycleDetail;
  table6: string[][] | undefined;
  /** The kind's other headline figures, as published tables (empty for none). */
  headlines?: HeadlineTable[];
  recomputable: boolean;
}

/** A cycle's page: its state, the provisional banner while open, the headline figures, Table 6 and the downloads. */
export function cyclePage(data: CyclePageData, session: Session): string {
  const { entry, summary, publication } = data.detail;
  const main = html`${isProvisional(entry) ? provisionalBanner() : ""}
<span class="govuk-caption-l">${entry.id}</span>
<h1 class="govuk-heading-l">${entry.title ?? entry.id}</h1>
<p class="govuk-body">${stateTag(entry)} ${computedText(entry)}</p>
${session.role !== undefined && canChange(session.role) ? teamLinks(entry) : ""}
${data.table6 || (data.headlines ?? []).length > 0 || summary.length > 0 ? html`<h2 class="govuk-heading-m">Headline figures</h2>` : ""}
${data.table6 ? table(data.table6, "Table 6: responses and response rates", "table-6") : ""}
${(data.headlines ?? []).map((headline, i) => table(headline.rows, headline.caption, `headline-${i + 1}`))}
${summary.length > 0 ? summaryText(summary) : ""}
${downloads(entry.id, publication?.files ?? [])}
${data.recomputable && session.role !== undefined && canChange(session.role) ? recomputeForm(entry.id, session.csrf) : ""}`;
  return layout({ title: entry.title ?? entry.id, session, main, back: { href: "/cycles", text: "All cycles" } });
}

/** The survey team's pages of a cycle: its uploads, and (survey cycles) its invitations and reminders. */
function teamLinks(entry: CycleDetail["entry"]): Html {
  return html`<p class="govuk-body"><a class="govuk-link" href="/cycles/${entry.id}/uploads">Uploads: what happened, and upload an export</a></p>
${entry.kind === "survey" ? html`<p class="govuk-body"><a class="govuk-link" href="/cycles/${entry.id}/reminders">Invitations and reminders</a></p>` : ""}`;
}

function provisionalBanner(): Html {
  return html`<div class="govuk-notification-banner" role="region" aria-labelledby="provisional-title">
<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="provisional-title">Provisional</h2></div>
<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">The survey is open: these results will change until it closes.</p></div>
</div>`;
}

/** A number, a percentage or a symbol ([c], [x], [z]): right-aligned, as GOV.UK tables align figures. */
const NUMERIC = /^(-?[\d,]*\.?\d+%?|\[[cxz]\])$/;

/** A published table, its first column the rows' headers; it scrolls in its own box at 390 px, not the page. */
function table(rows: string[][], caption: string, id: string): Html {
  const [head = [], ...body] = rows;
  return html`<div class="console-scroll" id="${id}" tabindex="0" role="region" aria-label="${caption}, scrolls sideways">
<table class="govuk-table">
<caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">${head.map((cell) => html`<th scope="col" class="govuk-table__header">${cell}</th>`)}</tr></thead>
<tbody class="govuk-table__body">
${body.map(
  ([first = "", ...cells]) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${first}</th>${cells.map((cell) => html`<td class="govuk-table__cell${NUMERIC.test(cell) ? " govuk-table__cell--numeric" : ""}">${cell}</td>`)}</tr>`,
)}
</tbody>
</table>
</div>`;
}

/** The kind's plain-text summary (what `npm start` prints), folded away: every headline figure, with what was suppressed and why. */
function summaryText(summary: string[]): Html {
  return html`<details class="govuk-details">
<summary class="govuk-details__summary"><span class="govuk-details__summary-text">All the headline figures as text</span></summary>
<div class="govuk-details__text"><pre class="console-summary" tabindex="0">${summary.join("\n")}</pre></div>
</details>`;
}

function downloads(cycleId: string, files: readonly string[]): Html {
  if (files.length === 0) return html`<h2 class="govuk-heading-m">Downloads</h2><p class="govuk-body">Nothing is published for this cycle yet.</p>`;
  return html`<h2 class="govuk-heading-m">Downloads</h2>
<ul class="govuk-list console-downloads">
${[...files].sort().map((file) => html`<li><a class="govuk-link" href="/cycles/${cycleId}/files/${file.split("/").map(encodeURIComponent).join("/")}" download>${file}</a></li>`)}
</ul>`;
}

function recomputeForm(cycleId: string, csrf: string): Html {
  return html`<h2 class="govuk-heading-m">Recompute</h2>
<form method="post" action="/cycles/${cycleId}/recompute">
<input type="hidden" name="csrf" value="${csrf}">
<button type="submit" class="govuk-button govuk-button--secondary">Recompute the results</button>
</form>`;
}
