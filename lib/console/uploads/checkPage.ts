import { redactEmails } from "../../privacy/redactEmails.ts";
import { type Html, html } from "../html.ts";
import { layout } from "../layout.ts";
import type { Session } from "../session.ts";
import { type CheckView, readAsText } from "./checkView.ts";
import { dataTable, summaryList, warningText } from "./govukParts.ts";
import type { StagedRef } from "./stagedExport.ts";

/** Problems and duplicates listed on the page at most (the counts count them all). */
const LISTED = 50;

/** The check page's content: the staged export, when it was uploaded, and what the check found (or why the file cannot be read). */
export interface CheckPageData {
  ref: StagedRef;
  writtenAt: Date;
  check: { view: CheckView } | { unreadable: string };
}

/**
 * What `asye check` shows of a staged export, as GOV.UK summary lists and tables: how it was read,
 * each field's column, the first responses as read and understood, the counts, the problems, and
 * whether ingest would refuse it. "Use this export" is offered only when ingest would accept it.
 */
export function checkPage(data: CheckPageData, session: Session): string {
  const { ref } = data;
  const refused = "unreadable" in data.check ? data.check.unreadable : data.check.view.refused;
  const main = html`<span class="govuk-caption-l">${ref.cycleId}</span>
<h1 class="govuk-heading-l">Check the export for ${ref.group}</h1>
${refused === undefined ? html`<div class="govuk-inset-text">Ingest would accept this file. Read what it found below, then use it or upload a different file.</div>` : warningText(`Ingest would refuse this file: ${refused}`)}
${"view" in data.check ? checkSections(data.check.view, data.writtenAt) : ""}
<h2 class="govuk-heading-m">What next</h2>
${refused === undefined ? useForm(ref, session.csrf) : ""}
<p class="govuk-body"><a class="govuk-link" href="/cycles/${ref.cycleId}/groups/${ref.group}/upload">Upload a different file for ${ref.group}</a></p>
<p class="govuk-body">Staged files are deleted after 24 hours. Nothing is ingested until you use the export.</p>`;
  return layout({ title: `Check the export for ${ref.group}`, session, main, back: { href: `/cycles/${ref.cycleId}/uploads`, text: "Uploads" } });
}

function checkSections(view: CheckView, writtenAt: Date): Html {
  return html`<h2 class="govuk-heading-m">How it was read</h2>
${summaryList([
  ["Uploaded", `${writtenAt.toISOString().slice(0, 16).replace("T", " ")} UTC`],
  ["Read as", readAsText(view)],
  ...(view.looksLike ? [["Looks like", view.looksLike.length > 0 ? view.looksLike.join(", ") : "No tool recognised"] as const] : []),
  ...(view.dateOrder ? [["Dates", `${view.dateOrder.order === "dmy" ? "Day first" : "Month first"}${view.dateOrder.inferred ? " (as every completion time shows; not the tool's default)" : ""}`] as const] : []),
])}
${(view.warnings ?? []).map((warning) => warningText(warning))}
${view.responseRateWarning ? warningText(view.responseRateWarning) : ""}
${view.mapping ? mappingTable(view.mapping) : ""}
${(view.sample ?? []).map((response) =>
  dataTable({ caption: `The response at row ${response.row}`, size: "s", head: ["Field", "As read", "Understood as"], rows: response.fields.map((field) => [field.field, field.read, field.understood]) }),
)}
${counts(view)}
${problems(view)}`;
}

function mappingTable(mapping: NonNullable<CheckView["mapping"]>): Html {
  const service = mapping.some((m) => m.field === "service_area") ? "" : html`<p class="govuk-body">This export has no service area column: responses are counted without the child and family / both split.</p>`;
  return html`<h2 class="govuk-heading-m">Each field's column</h2>
${dataTable({ caption: "Where each field is read from", size: "s", head: ["Field", "Column", "Header"], numeric: [1], rows: mapping.map((m) => [m.field, m.column === undefined ? "Row number" : m.column, m.header]) })}
${service}`;
}

function counts(view: CheckView): Html {
  const c = view.counts;
  return html`<h2 class="govuk-heading-m">Counts</h2>
${summaryList([
  ["Rows", String(c.rows)],
  ["Accepted", String(c.accepted)],
  ["Rejected", String(c.rejected)],
  ["Duplicates", String(c.duplicates)],
  ...(c.incomplete ? [["Incomplete (no completion time: left out)", String(c.incomplete)] as const] : []),
])}`;
}

function problems(view: CheckView): Html {
  const byColumn = Object.entries(view.problemsByColumn).sort((a, b) => b[1] - a[1]);
  if (byColumn.length === 0 && (view.duplicates ?? []).length === 0) return html`<h2 class="govuk-heading-m">Problems</h2><p class="govuk-body">No problems were found.</p>`;
  const more = view.problems.length - LISTED;
  return html`<h2 class="govuk-heading-m">Problems</h2>
${byColumn.length > 0 ? dataTable({ caption: "Problems by column", size: "s", head: ["Column", "Problems"], numeric: [1], rows: byColumn.map(([column, n]) => [column, n]) }) : ""}
${view.problems.length > 0 ? dataTable({ caption: "The first problems", size: "s", head: ["Row", "Column", "Found", "Expected"], rows: view.problems.slice(0, LISTED).map((p) => [String(p.row), p.column, redactEmails(p.value), redactEmails(p.expected)]) }) : ""}
${more > 0 ? html`<p class="govuk-body">And ${more} more.</p>` : ""}
${(view.duplicates ?? []).length > 0 ? dataTable({ caption: "Duplicate responses (not counted)", size: "s", head: ["Row", "Response id", "First seen at row"], rows: view.duplicates!.slice(0, LISTED).map((d) => [String(d.row), redactEmails(d.responseId), String(d.firstRow)]) }) : ""}`;
}

function useForm(ref: StagedRef, csrf: string): Html {
  return html`<form method="post" action="/cycles/${ref.cycleId}/groups/${ref.group}/staged/${ref.stagingId}/use">
<input type="hidden" name="csrf" value="${csrf}">
<button type="submit" class="govuk-button">Use this export</button>
</form>
<p class="govuk-body">Using it makes it ${ref.group}'s upload: it is ingested as any upload is, and the results are computed again.</p>`;
}
