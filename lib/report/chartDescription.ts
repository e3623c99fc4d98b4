import type { BarBlock, DivergingBar, PositiveBar, Withheld } from "./barCharts.ts";
import type { CategoryMeaning } from "./palette.ts";

/**
 * Why a bar is not drawn, as a description says it: never its number, only that it is withheld
 * and why.
 * @example withheldWords("n<30", 30) // "not shown (fewer than 30 answers)"
 */
export function withheldWords(withheld: Withheld | undefined, threshold: number): string {
  if (withheld === "too-few") return "not shown (too few to show)";
  return withheld === "hidden" ? "hidden (to protect another figure)" : `not shown (fewer than ${threshold} answers)`;
}

/**
 * The alternative text of a % bar chart: what it draws, the finding (the highest and lowest
 * shown), then every bar's figure in the order drawn, a withheld one said as withheld. It states
 * only the numbers the chart draws, formatted as drawn (`format`).
 * @example describePositiveBars("the % agree by group", [{ bars: [{ label: "NQSWs", percentage: 71 }, { label: "ASYE assessors", percentage: 64 }, { label: "ASYE leads", percentage: null, withheld: "n<30" }] }], 30, (p) => `${p}%`)
 * // "Bar chart of the % agree by group. Highest: 71% (NQSWs); lowest: 64% (ASYE assessors). NQSWs 71%, ASYE assessors 64%, ASYE leads not shown (fewer than 30 answers)."
 */
export function describePositiveBars(what: string, blocks: readonly BarBlock<PositiveBar>[], threshold: number, format: (percentage: number) => string): string {
  const shown = blocks.flatMap((block) => block.bars.filter((bar) => bar.percentage !== null).map((bar) => ({ block, bar, value: bar.percentage! })));
  const name = (entry: (typeof shown)[number]) => (blocks.length > 1 && entry.block.heading ? `${entry.block.heading}, ${entry.bar.label}` : entry.bar.label);
  const sentences = [`Bar chart of ${what}.`];
  if (shown.length === 0) sentences.push("No figure is shown.");
  else if (shown.length > 1) sentences.push(extremes(shown.map((entry) => ({ name: name(entry), value: entry.value })), format));
  for (const block of blocks) {
    const bars = block.bars.map((bar) => `${bar.label} ${bar.percentage === null ? withheldWords(bar.withheld, threshold) : format(bar.percentage)}`);
    sentences.push(`${block.heading ? `${block.heading}: ` : ""}${bars.join(", ")}.`);
  }
  return sentences.join(" ");
}

/** "Highest: A (88%); lowest: B (60%)." naming every bar tied at either end, or that all are equal. */
function extremes(entries: readonly { name: string; value: number }[], format: (percentage: number) => string): string {
  const values = entries.map((e) => e.value);
  const [high, low] = [Math.max(...values), Math.min(...values)];
  const at = (value: number) => entries.filter((e) => e.value === value).map((e) => e.name);
  if (high === low) return `All ${entries.length} shown are ${format(high)}.`;
  return `Highest: ${format(high)} (${listed(at(high))}); lowest: ${format(low)} (${listed(at(low))}).`;
}

/** "A", "A and B", "A, B and C"; names that hold commas themselves are set apart by semicolons. */
function listed(names: readonly string[]): string {
  if (names.some((name) => name.includes(","))) return names.join("; ");
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/**
 * The alternative text of a diverging bar chart: what it draws, then each group's share of every
 * answer in the scale's order (rounded as the chart labels them) and the share outside the base,
 * a withheld group said as withheld; for one item, the most common answer of each group first.
 * @example describeDivergingBars(["Agree", "Disagree"], ["positive", "negative"], [{ bars: [{ label: "NQSWs", shares: [0.7, 0.3], excluded: 0 }] }], 30)
 * // "Diverging bar chart of every answer by group, positive answers to the right. Most common answer: Agree (NQSWs). NQSWs: Agree 70%, Disagree 30%."
 */
export function describeDivergingBars(categories: readonly string[], meanings: readonly CategoryMeaning[], blocks: readonly BarBlock<DivergingBar>[], threshold: number): string {
  const inBase = categories.filter((_, k) => meanings[k] !== "excluded");
  const outside = categories.filter((_, k) => meanings[k] === "excluded");
  const sentences = ["Diverging bar chart of every answer by group, positive answers to the right."];
  if (blocks.length === 1) {
    const common = mostCommon(inBase, blocks[0]!.bars);
    if (common) sentences.push(common);
  }
  for (const block of blocks) {
    const bars = block.bars.map((bar) => {
      if (bar.shares === null) return `${bar.label} ${withheldWords(bar.withheld, threshold)}`;
      const answers = inBase.map((label, k) => `${label} ${Math.round((bar.shares![k] ?? 0) * 100)}%`).join(", ");
      const rest = outside.length > 0 && bar.excluded !== null ? `, and ${Math.round(bar.excluded * 100)}% ${listed(outside.map((o) => o.toLowerCase()))} (outside the base)` : "";
      return `${bar.label}: ${answers}${rest}`;
    });
    sentences.push(`${block.heading ? `${block.heading}: ` : ""}${bars.join("; ")}.`);
  }
  return sentences.join(" ");
}

/** "Most common answer: Agree (NQSWs, ASYE leads); Strongly agree (ASYE assessors)." over the shown groups, or nothing. */
function mostCommon(inBase: readonly string[], bars: readonly DivergingBar[]): string | undefined {
  const byAnswer = new Map<string, string[]>();
  for (const bar of bars) {
    if (bar.shares === null || bar.shares.length === 0) continue;
    const top = bar.shares.indexOf(Math.max(...bar.shares));
    const answer = inBase[top]!;
    byAnswer.set(answer, [...(byAnswer.get(answer) ?? []), bar.label]);
  }
  if (byAnswer.size === 0) return undefined;
  return `Most common answer: ${[...byAnswer].map(([answer, groups]) => `${answer} (${listed(groups)})`).join("; ")}.`;
}
