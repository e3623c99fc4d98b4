import type { z } from "zod";
import { CycleConfigError } from "../errors.ts";
import { formatIssues } from "../validation/formatIssues.ts";

/** A cycle file's JSON validated by its kind's schema; a `CycleConfigError` naming `source` and every problem's path otherwise. */
export function parseCycleJson<T>(schema: z.ZodType<T>, json: unknown, source: string): T {
  const result = schema.safeParse(json);
  if (!result.success) throw new CycleConfigError(source, formatIssues(result.error.issues));
  return result.data;
}
