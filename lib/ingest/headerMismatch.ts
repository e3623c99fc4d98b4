import { normalizeLabel } from "../sources/normalizeLabel.ts";
import { toolsLookingLike } from "../sources/presets/index.ts";
import type { ResolvedSource } from "../sources/resolveSource.ts";

/** What was wrong with an export's header, for {@link describeHeaderMismatch}. */
export interface HeaderMismatch {
  group: string;
  source: ResolvedSource;
  names: string[];
  headerRows: string[][];
  missing: string[];
  repeated: string[];
}

const SHOWN_HEADERS = 40;
const COMPARED_HEADERS = 2_000;

/**
 * One message for a header that does not fit the cycle file: each missing column with the
 * nearest header found, the columns found twice, the headers found, and which tool the header
 * looks like when that is not the tool the cycle file names.
 */
export function describeHeaderMismatch(mismatch: HeaderMismatch): string {
  const { group, source, names, headerRows, missing, repeated } = mismatch;
  const candidates = [...new Set(names.filter((name) => name.trim() !== ""))].slice(0, COMPARED_HEADERS);
  const parts: string[] = [];
  if (missing.length > 0) {
    const described = missing.map((header) => {
      const nearest = nearestHeader(header, candidates);
      return nearest === undefined ? `"${header}"` : `"${header}" (nearest: "${nearest}")`;
    });
    parts.push(`missing required column(s) ${described.join(", ")}`);
  }
  if (repeated.length > 0) parts.push(`column(s) appearing more than once ${repeated.map((h) => `"${h}"`).join(", ")}`);
  const shown = candidates.slice(0, SHOWN_HEADERS).map((name) => `"${name}"`).join(", ");
  const more = candidates.length > SHOWN_HEADERS ? `, … (${names.length} columns in all)` : "";
  let message = `${parts.join("; ")} for group "${group}", read as a ${source.preset.name} export (${source.headerRows} header row(s)). Headers found: ${shown || "(none)"}${more}`;
  const lookalikes = toolsLookingLike(headerRows).filter((preset) => preset.tool !== source.preset.tool);
  if (lookalikes.length > 0) {
    message += `. The header looks like a ${lookalikes[0]!.name} export: set "source": { "tool": "${lookalikes[0]!.tool}" } for this group in the cycle file`;
  }
  return message;
}

/** The header closest to `wanted` by edit distance, if any is reasonably close. */
function nearestHeader(wanted: string, headers: readonly string[]): string | undefined {
  const target = normalizeLabel(wanted).slice(0, 200);
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(target.length / 2)) + 1;
  for (const header of headers) {
    const candidate = normalizeLabel(header).slice(0, 200);
    if (Math.abs(candidate.length - target.length) >= bestDistance) continue;
    const distance = editDistance(target, candidate, bestDistance);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = header;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it must reach `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return previous[b.length]!;
}
