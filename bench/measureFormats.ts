/**
 * One size of `npm run bench`'s formats table (run in its own process): the same synthetic
 * export as UTF-8 CSV, as UTF-16 LE TSV and as .xlsx, each read by the ingest core on one core
 * (read → validate → encode, batch discarded). Prints one JSON line.
 */
import { createReadStream, createWriteStream, existsSync, renameSync, statSync } from "node:fs";
import { once } from "node:events";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { cycleConfigSchema } from "../lib/survey/config/cycleConfig.ts";
import { coreIngest } from "./coreIngest.ts";
import { syntheticCycle, syntheticExport } from "./syntheticCycle.ts";

const rows = Number(process.argv[2]);
const csvPath = await syntheticExport(rows);

/** The CSV's records, streamed (papaparse here is only the bench's own converter). */
async function* records(): AsyncGenerator<string[]> {
  const stream = createReadStream(csvPath, { encoding: "utf8", highWaterMark: 1 << 20 });
  let partial = "";
  for await (const text of stream) {
    const lines = (partial + text).split("\n");
    partial = lines.pop()!;
    for (const line of lines) if (line !== "") yield Papa.parse<string[]>(line).data[0]!;
  }
  if (partial !== "") yield Papa.parse<string[]>(partial).data[0]!;
}

async function utf16Export(): Promise<string> {
  const path = csvPath.replace(/\.csv$/, ".utf16.tsv");
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.partial`);
  out.write(Buffer.from("\uFEFF", "utf16le"));
  let block = "";
  for await (const record of records()) {
    block += `${record.join("\t")}\r\n`;
    if (block.length > 1 << 20) {
      if (!out.write(Buffer.from(block, "utf16le"))) await once(out, "drain");
      block = "";
    }
  }
  out.end(Buffer.from(block, "utf16le"));
  await once(out, "finish");
  renameSync(`${path}.partial`, path);
  return path;
}

async function xlsxExport(): Promise<string> {
  const path = csvPath.replace(/\.csv$/, ".xlsx");
  if (existsSync(path)) return path;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${path}.partial`, useSharedStrings: true });
  const sheet = workbook.addWorksheet("Sheet1");
  for await (const record of records()) sheet.addRow(record.map((cell) => (cell === "" ? null : cell))).commit();
  sheet.commit();
  await workbook.commit();
  renameSync(`${path}.partial`, path);
  return path;
}

const config = cycleConfigSchema.parse(syntheticCycle());
async function core(path: string): Promise<{ megabytes: number; seconds: number; accepted: number }> {
  return { megabytes: statSync(path).size / 1e6, ...(await coreIngest(path, config)) };
}

const utf16 = await utf16Export();
const xlsx = await xlsxExport();
const csv = await core(csvPath);
console.log(JSON.stringify({ rows, csv, utf16: await core(utf16), xlsx: await core(xlsx) }));
