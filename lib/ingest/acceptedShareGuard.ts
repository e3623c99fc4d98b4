import type { IngestCounts } from "../ports/ingestLedger.ts";

/**
 * Why an upload is refused as a whole although it could be read: no valid rows, or valid rows
 * under the cycle's minimum share, so a damaged export never replaces good results.
 */
export function refusalOfAcceptedShare(counts: IngestCounts, minimumShare: number, problemsByColumn: Record<string, number>): string | undefined {
  // Incomplete responses left out are not the file's damage: the share is of the others.
  const rows = counts.rows - (counts.incomplete ?? 0);
  const valid = rows - counts.rejected;
  if (counts.accepted > 0 && valid / rows >= minimumShare) return undefined;
  const worst = Object.entries(problemsByColumn)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([column, n]) => `"${column}" (${n})`)
    .join(", ");
  const share = rows === 0 ? 0 : Math.floor((100 * valid) / rows);
  return (
    `${counts.accepted === 0 ? "no row is valid" : `only ${valid} of ${rows} ${counts.incomplete ? "complete " : ""}rows (${share}%) are valid, under the cycle's minimumAcceptedShare of ${Math.round(minimumShare * 100)}%`}` +
    `: the upload is refused and the group's current results stay as they were` +
    (worst === "" ? "" : `; most problems are in ${worst}; the rejection report lists every problem`)
  );
}
