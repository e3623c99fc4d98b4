import { createReadStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ByteSource, type DecompressedBudget, readEntry, type ZipEntry } from "./zipEntries.ts";

/** A worksheet kept for later: its part name, and its compressed bytes in a file. */
export interface KeptSheet {
  part: string;
  path: string;
  method: number;
  compressedSize: number;
}

/**
 * Worksheets that came before the parts needed to read them (Excel and exceljs write the sheets
 * first, the shared strings and styles after), kept as they came, compressed, in a temporary
 * folder (the disk holds at most the upload; memory holds none of it) until those have come.
 */
export class SheetSpool {
  readonly sheets: KeptSheet[] = [];
  private folder: string | undefined;

  /** Keeps the entry's compressed bytes (inflating them, counted by the budget, to find where they end). */
  async keep(source: ByteSource, entry: ZipEntry, budget: DecompressedBudget): Promise<void> {
    this.folder ??= await mkdtemp(join(tmpdir(), "asye-xlsx-"));
    const path = join(this.folder, `${this.sheets.length}.bin`);
    const file = await open(path, "w");
    let compressedSize = 0;
    try {
      await readEntry(
        source,
        entry,
        {
          raw: async (bytes) => {
            await file.write(bytes);
            compressedSize += bytes.length;
          },
        },
        budget,
      );
    } finally {
      await file.close();
    }
    this.sheets.push({ part: entry.name, path, method: entry.method, compressedSize });
  }

  /** A kept sheet as an entry to read again, its size now known. */
  reopen(sheet: KeptSheet): { source: ByteSource; entry: ZipEntry } {
    return {
      source: new ByteSource(createReadStream(sheet.path, { highWaterMark: 1 << 16 })),
      entry: { name: sheet.part, method: sheet.method, flags: 0, compressedSize: sheet.compressedSize, zip64: false },
    };
  }

  /** Deletes the kept sheets. */
  async remove(): Promise<void> {
    if (this.folder !== undefined) await rm(this.folder, { recursive: true, force: true });
  }
}
