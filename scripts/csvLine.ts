/**
 * One CSV line (RFC 4180): fields with a comma, quote, CR or LF are quoted, quotes doubled.
 *
 * @example csvLine(["a", "b,c", 'say "hi"']) // 'a,"b,c","say ""hi"""'
 */
export function csvLine(fields: readonly string[]): string {
  return fields
    .map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field))
    .join(",");
}
