import type { Publication } from "../ports/ingestLedger.ts";
import type { ObjectStore } from "../ports/objectStore.ts";
import { readPublishedTable } from "./publishedFiles.ts";

/** A published table shown on a cycle's page: its caption, and its rows (the header first). */
export interface HeadlineTable {
  caption: string;
  rows: string[][];
}

/** Which published tables are a kind's headline figures: a file (or files matching), its caption, and how many rows to show. */
interface HeadlineSource {
  file: RegExp;
  caption: (file: string) => string;
  rows?: number;
}

const HEADLINES: Record<string, readonly HeadlineSource[]> = {
  survey: [
    { file: /^tables\/ranking-\d+-([a-z0-9-]+)\.csv$/, caption: (file) => `Ranked (${scopeOf(file)}): the top five`, rows: 5 },
    { file: /^tables\/item-sets\.csv$/, caption: () => "Averages across item sets" },
  ],
  outcomes: [
    { file: /^tables\/registrations-by-financial-year\.csv$/, caption: () => "Registrations by financial year" },
    { file: /^tables\/registrations-by-wider-area\.csv$/, caption: () => "Registrations by area" },
    { file: /^tables\/records-by-cohort\.csv$/, caption: () => "NQSWs by cohort, and their outcomes" },
  ],
};

const scopeOf = (file: string) => file.replace(/^tables\/ranking-\d+-/, "").replace(/\.csv$/, "").replace(/-/g, " ");

/**
 * A cycle's headline figures beyond Table 6, as the published tables that hold them (the
 * rankings' top five and the item-set averages of a survey; an outcomes cycle's registrations
 * and cohorts), in that order; none for a kind without any or a cycle not yet published.
 */
export async function headlineTables(kind: string, publication: Publication | undefined, store: ObjectStore): Promise<HeadlineTable[]> {
  const files = [...(publication?.files ?? [])].sort();
  const tables: HeadlineTable[] = [];
  for (const source of HEADLINES[kind] ?? []) {
    for (const file of files.filter((f) => source.file.test(f))) {
      const rows = await readPublishedTable(publication, file, store);
      if (rows !== undefined && rows.length > 1) tables.push({ caption: source.caption(file), rows: source.rows === undefined ? rows : rows.slice(0, source.rows + 1) });
    }
  }
  return tables;
}
