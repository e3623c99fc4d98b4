import { z } from "zod";
import { SOURCE_TOOLS } from "../../sources/sourceSchema.ts";

/** `asye init`'s options, as given on the command line: checked here, at the edge. */
export const draftOptionsSchema = z.strictObject({
  tool: z.enum(SOURCE_TOOLS).optional(),
  group: z
    .string()
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/u, "a group id: lower-case letters, digits and dashes")
    .optional(),
  out: z.string().min(1).optional(),
});

/** The options once checked. */
export type DraftCommandOptions = z.infer<typeof draftOptionsSchema>;
