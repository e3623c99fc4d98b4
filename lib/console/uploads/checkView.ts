import { z } from "zod";

const problemSchema = z.object({ row: z.number(), column: z.string(), value: z.string(), expected: z.string() });

/**
 * What the check page shows of a kind's export check (`asye check --json`): read with zod, as any
 * kind's check may give it; the survey's has the column mapping and the first responses, others
 * the counts and problems only.
 */
export const checkViewSchema = z.object({
  tool: z.string(),
  looksLike: z.array(z.string()).optional(),
  format: z.enum(["csv", "xlsx"]),
  compression: z.literal("gzip").optional(),
  encoding: z.string().optional(),
  delimiter: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  mapping: z.array(z.object({ field: z.string(), header: z.string(), column: z.number().optional() })).optional(),
  sample: z.array(z.object({ row: z.number(), fields: z.array(z.object({ field: z.string(), read: z.string(), understood: z.string() })) })).optional(),
  counts: z.object({ rows: z.number(), accepted: z.number(), rejected: z.number(), duplicates: z.number(), incomplete: z.number().optional() }),
  problemsByColumn: z.record(z.string(), z.number()),
  problems: z.array(problemSchema),
  duplicates: z.array(z.object({ row: z.number(), responseId: z.string(), firstRow: z.number() })).optional(),
  refused: z.string().optional(),
  dateOrder: z.object({ order: z.string(), inferred: z.boolean() }).optional(),
  responseRateWarning: z.string().optional(),
});

/** An export check as the page reads it. */
export type CheckView = z.infer<typeof checkViewSchema>;

/** How the file was read, in words ("SmartSurvey export, delimited text, utf-8, delimiter ','"). */
export function readAsText(view: CheckView): string {
  const parts = [`${view.tool} export`, `${view.compression === "gzip" ? "gzipped " : ""}${view.format === "xlsx" ? "xlsx workbook" : "delimited text"}`];
  if (view.encoding) parts.push(view.encoding);
  if (view.delimiter) parts.push(`delimiter ${JSON.stringify(view.delimiter)}`);
  return parts.join(", ");
}
