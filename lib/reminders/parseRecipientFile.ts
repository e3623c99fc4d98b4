import { z } from "zod";
import { readCsvRecords } from "../csv/readCsvRecords.ts";
import { FileRejectedError } from "../errors.ts";
import { normalizeLabel } from "../sources/normalizeLabel.ts";

/** One person on a group's recipient list (the token only as its hash). */
export interface Recipient {
  email: string;
  name?: string;
  tokenHash?: string;
  optedOut: boolean;
}

/** A rejected row of a recipient file (the value is shown to the survey team, never logged). */
export interface RecipientProblem {
  row: number;
  column: string;
  value: string;
  reason: string;
}

const emailSchema = z.email();
const YES = new Set(["yes", "y", "true", "1"]);

/**
 * Reads a group's recipient list: a CSV with `email` and optional `name`, `token` and
 * `opted_out` columns. Bad addresses are rejected with row and reason, good rows kept, and
 * rows with the same address (ignoring case) merged into one recipient.
 */
export async function parseRecipientFile(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  /** Keys the response token (the recipient store's key): tokens are never kept themselves. */
  hashToken: (token: string) => string,
): Promise<{ recipients: Recipient[]; problems: RecipientProblem[]; merged: number }> {
  const byEmail = new Map<string, Recipient>();
  const problems: RecipientProblem[] = [];
  let columns: { email: number; name: number; token: number; optedOut: number } | undefined;
  let merged = 0;
  await readCsvRecords(chunks, file, (records, rows, parseProblems) => {
    for (const problem of parseProblems) problems.push({ row: problem.row, column: "(whole row)", value: "", reason: problem.message });
    records.forEach((record, index) => {
      const row = rows[index]!;
      if (!columns) {
        const at = (name: string) => record.findIndex((header) => normalizeLabel(header) === name);
        columns = { email: at("email"), name: at("name"), token: at("token"), optedOut: at("opted_out") };
        if (columns.email < 0) throw new FileRejectedError(file, 'missing required column "email"');
        return;
      }
      const email = (record[columns.email] ?? "").trim().toLowerCase();
      if (!emailSchema.safeParse(email).success) {
        problems.push({ row, column: "email", value: record[columns.email] ?? "", reason: email === "" ? "an email address is required" : "not a valid email address" });
        return;
      }
      const name = (record[columns.name] ?? "").trim() || undefined;
      const token = (record[columns.token] ?? "").trim();
      const recipient: Recipient = {
        email,
        ...(name ? { name } : {}),
        ...(token ? { tokenHash: hashToken(token) } : {}),
        optedOut: YES.has(normalizeLabel(record[columns.optedOut] ?? "")),
      };
      const existing = byEmail.get(email);
      if (existing) {
        merged++;
        existing.name ??= recipient.name;
        existing.tokenHash ??= recipient.tokenHash;
        existing.optedOut ||= recipient.optedOut;
      } else byEmail.set(email, recipient);
    });
    return undefined;
  });
  if (!columns) throw new FileRejectedError(file, "the file is empty: expected a header row with an email column");
  return { recipients: [...byEmail.values()], problems, merged };
}
