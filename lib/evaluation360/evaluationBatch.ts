import { z } from "zod";

/**
 * A normalized 360 batch is one line of JSON (this header) followed by fixed-width binary rows,
 * one per accepted response:
 * - bytes 0-1: the organisation, 1 + its index in `organisations` (little-endian);
 * - byte 2: the respondent type, 1 + its index in `respondentTypes`;
 * - bytes 3-6: the local date it was submitted as YYYYMMDD (little-endian), 0 when the export has no time;
 * - one byte per statement, in `statements` order: 0 = no rating, else the rating.
 */
export const evaluationBatchHeaderSchema = z.object({
  format: z.literal("asye-360-v1"),
  cycleId: z.string(),
  /** `responses` (every organisation) or the organisation id the export was uploaded for. */
  slot: z.string(),
  uploadKey: z.string(),
  rowWidth: z.number().int().positive(),
  organisations: z.array(z.string()),
  respondentTypes: z.array(z.string()),
  statements: z.array(z.number().int()),
});

/** The header line of a normalized 360 batch. */
export type EvaluationBatchHeader = z.infer<typeof evaluationBatchHeaderSchema>;

/** Byte offsets in a 360 row. */
export const EVALUATION_ROW = { organisation: 0, respondentType: 2, submitted: 3, ratings: 7 } as const;

/** One response of a 360 batch, decoded. */
export interface EvaluationResponse {
  organisation: string;
  respondentType: string;
  /** YYYYMMDD, 0 when unknown. */
  submitted: number;
  /** Rating per statement number; 0 = no rating. */
  ratings: Uint8Array;
}

/**
 * Decodes a normalized 360 batch (header line and rows). Ratings come in the header's
 * statement order. Throws when the bytes are not a 360 batch.
 */
export function decodeEvaluationBatch(bytes: Uint8Array, key: string): { header: EvaluationBatchHeader; responses: EvaluationResponse[] } {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) throw new Error(`${key}: not a normalized 360 batch (no header line)`);
  const header = evaluationBatchHeaderSchema.parse(JSON.parse(new TextDecoder().decode(bytes.subarray(0, newline))));
  const body = bytes.subarray(newline + 1);
  if (body.length % header.rowWidth !== 0) throw new Error(`${key}: ${body.length} bytes of rows is not a whole number of ${header.rowWidth}-byte rows`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const responses: EvaluationResponse[] = [];
  for (let at = 0; at < body.length; at += header.rowWidth) {
    responses.push({
      organisation: header.organisations[view.getUint16(at + EVALUATION_ROW.organisation, true) - 1]!,
      respondentType: header.respondentTypes[body[at + EVALUATION_ROW.respondentType]! - 1]!,
      submitted: view.getUint32(at + EVALUATION_ROW.submitted, true),
      ratings: body.slice(at + EVALUATION_ROW.ratings, at + header.rowWidth),
    });
  }
  return { header, responses };
}
