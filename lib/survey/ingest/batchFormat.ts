import { z } from "zod";

/**
 * A normalized batch is one line of JSON (this header) followed by fixed-width binary rows,
 * one per accepted response:
 * - byte 0: service area (1 = child and family only, 2 = both child and family and adult services);
 * - one byte per item: 0 = blank, k + 1 = the scale's k-th category;
 * - one byte per subgroup variable: 0 = blank or unclassified, k + 1 = the k-th subgroup;
 * - per multi-select question, one bit per option (selected), packed into ceil(options / 8) bytes.
 */
export const batchHeaderSchema = z.object({
  format: z.literal("asye-normalized-v1"),
  cycleId: z.string(),
  group: z.string(),
  uploadKey: z.string(),
  rowWidth: z.number().int().positive(),
  items: z.array(
    z.object({ id: z.string(), offset: z.number().int(), categories: z.array(z.string()) }),
  ),
  subgroupVariables: z.array(
    z.object({ id: z.string(), offset: z.number().int(), subgroups: z.array(z.string()) }),
  ),
  multiSelect: z.array(
    z.object({ id: z.string(), offset: z.number().int(), options: z.array(z.string()) }),
  ),
});

/** The header line of a normalized batch. */
export type BatchHeader = z.infer<typeof batchHeaderSchema>;

/** Service-area codes stored in byte 0 of each row. */
export const SERVICE_AREA = { notAsked: 0, childAndFamilyOnly: 1, both: 2 } as const;
