import type { ResultsDocument } from "../results/resultsSchema.ts";
import type { PublishedTable } from "../../publication/publishedTable.ts";
import { workbookOf } from "../../publication/tablesWorkbook.ts";
import { dateInWords, PUBLISHER } from "../../publication/publicationDetails.ts";

/**
 * The tables as one .xlsx workbook laid out as the Government Statistical Service's guidance
 * on accessible spreadsheets asks: a cover sheet, a contents sheet and a notes sheet, then one
 * table per sheet, each starting in A1 with its title, a line on the notes that apply, then the
 * table; no merged cells, no blank rows inside a table, symbols ([c], [z], [x]) as text.
 */
export async function tablesWorkbook(document: ResultsDocument, tables: readonly PublishedTable[]): Promise<Uint8Array> {
  const zone = document.cycle.timezone;
  return workbookOf(
    {
      title: document.cycle.title,
      computedAt: document.provenance.computedAt,
      about: [
        `Results of the ASYE annual survey of ASYE leads, assessors and NQSWs, ${document.status === "final" ? "final" : "provisional (the survey is still open)"}.`,
        `The survey ran from ${dateInWords(`${document.cycle.opens}T12:00:00Z`, zone)} to ${dateInWords(`${document.cycle.closes}T12:00:00Z`, zone)}. Results computed ${dateInWords(document.provenance.computedAt, zone, true)} from ${document.provenance.uploads.length} uploaded export(s).`,
        "Figures based on fewer than " + String(document.suppressionThreshold) + " answers are not shown: see the Notes sheet for the symbols used.",
      ],
      source: `${document.cycle.title}: the ASYE annual survey of ASYE leads, assessors and NQSWs, ${PUBLISHER.organisation}`,
      contact: PUBLISHER.contact,
      published: dateInWords(document.provenance.computedAt, zone),
    },
    tables,
  );
}
