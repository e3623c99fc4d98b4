import { readCsvRecords } from "../csv/readCsvRecords.ts";
import type { Publication } from "../ports/ingestLedger.ts";
import type { ObjectStore, StoredObject } from "../ports/objectStore.ts";

/** A file of the published version, streamed; undefined when the version has no such file (only the ledger's list is trusted). */
export async function openPublishedFile(publication: Publication | undefined, path: string, store: ObjectStore): Promise<StoredObject | undefined> {
  if (publication?.folder === undefined || publication.files?.includes(path) !== true) return undefined;
  return store.getStream(`${publication.folder}/${path}`);
}

/** A published CSV table's rows (the header first), or undefined when the version has none by that path. */
export async function readPublishedTable(publication: Publication | undefined, path: string, store: ObjectStore): Promise<string[][] | undefined> {
  const file = await openPublishedFile(publication, path, store);
  if (file === undefined) return undefined;
  const rows: string[][] = [];
  await readCsvRecords(file.body, path, (records) => {
    rows.push(...records);
    return undefined;
  });
  return rows;
}
