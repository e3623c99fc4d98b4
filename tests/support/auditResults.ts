import type { TableCell } from "../../lib/privacy/additiveTable.ts";
import type { CycleConfig } from "../../lib/survey/config/cycleConfig.ts";
import type { GroupTally } from "../../lib/survey/compute/groupTally.ts";
import { itemBase } from "../../lib/survey/compute/itemResults.ts";
import type { ResultsDocument } from "../../lib/survey/results/resultsSchema.ts";
import { pinnedCells } from "./pinnedCells.ts";

/** What a results document was computed from, as the audit needs it: the counts behind every hidden figure. */
export interface AuditedInputs {
  config: CycleConfig;
  tallies: ReadonlyMap<string, GroupTally>;
  /** The codes counted for each answer a group wrote to an open-text question. */
  openTextAnswers(question: string, group: string): string[][];
}

/**
 * An exact audit of one survey results document against the counts it was computed from,
 * independent of the rules that made it: for every table a reader can add up (groups to all
 * groups, on items, ranked options and open-text codes; subgroups and those who gave none to
 * their group), every count each hidden cell could have, given everything published beside it
 * ({@link pinnedCells}); and nothing tested, or measured as a change, beside a hidden share.
 * Returns what a reader could work out: empty when nothing.
 */
export function auditResults(document: ResultsDocument, inputs: AuditedInputs): string[] {
  return [
    ...auditItems(document, inputs),
    ...auditSubgroups(document, inputs),
    ...auditRankings(document, inputs),
    ...auditOpenText(document, inputs),
    ...auditBesideHidden(document),
  ];
}

/** An item's base and positive count among some respondents' category counts. */
function itemCell(inputs: AuditedInputs, name: string, itemId: string, counts: readonly number[] | undefined): TableCell {
  const item = inputs.config.questionnaire.items.find((i) => i.id === itemId)!;
  const scale = inputs.config.questionnaire.scales.find((s) => s.id === item.scale)!;
  const { n, base } = itemBase(counts ?? [], scale.categories, new Set(scale.positive), new Set(scale.excludedFromBase));
  return { name, base, counts: [n] };
}

/** Hidden groups beside a shown all-groups figure, item by item. */
function auditItems(document: ResultsDocument, inputs: AuditedInputs): string[] {
  return document.items.flatMap((item) => {
    if (!item.allGroups || item.allGroups.share.suppressed) return [];
    const hidden = item.groups.filter((g) => g.share.suppressed).map((g) => itemCell(inputs, `${item.id}/${g.group}`, item.id, inputs.tallies.get(g.group)?.items.get(item.id)?.counts));
    return pinnedCells(hidden, [], document.suppressionThreshold);
  });
}

/** Hidden subgroups beside their group's figure, with those who gave no subgroup as unknowns. */
function auditSubgroups(document: ResultsDocument, inputs: AuditedInputs): string[] {
  const found: string[] = [];
  for (const breakdown of document.subgroupBreakdowns) {
    const tally = inputs.tallies.get(breakdown.group);
    for (const row of breakdown.items) {
      const groupShare = document.items.find((i) => i.id === row.item)!.groups.find((g) => g.group === breakdown.group)!.share;
      if (groupShare.suppressed) {
        if (row.subgroups.some((s) => !s.share.suppressed)) found.push(`${row.item}/${breakdown.group}: a subgroup shown beside a hidden group`);
        continue;
      }
      const group = itemCell(inputs, "group", row.item, tally?.items.get(row.item)?.counts);
      const subgroups = (tally?.subgroups ?? []).filter((s) => s.variable === breakdown.variable);
      const parts = subgroups.map((s) => itemCell(inputs, `${row.item}/${breakdown.group}/${s.subgroup}`, row.item, s.items.get(row.item)?.counts));
      const hidden = parts.filter((_, k) => row.subgroups.find((s) => s.subgroup === subgroups[k]!.subgroup)?.share.suppressed !== false);
      const none = { name: "none given", base: group.base - sum(parts.map((p) => p.base)), counts: [group.counts[0]! - sum(parts.map((p) => p.counts[0]!))] };
      found.push(...pinnedCells(hidden, [none], document.suppressionThreshold));
    }
  }
  return found;
}

/** Hidden groups' choices beside each option's shown all-groups count. */
function auditRankings(document: ResultsDocument, inputs: AuditedInputs): string[] {
  return document.rankings.flatMap((ranking) => {
    const all = ranking.scopes.find((s) => s.scope === "all");
    if (!all || all.respondents.suppressed) return [];
    const hidden = ranking.scopes.filter((s) => s.scope !== "all" && s.respondents.suppressed).map((s): TableCell => {
      const tally = inputs.tallies.get(s.scope)?.multiSelect.get(ranking.id);
      return { name: `${ranking.id}/${s.scope}`, base: tally?.answered ?? 0, counts: tally?.selected ?? [] };
    });
    return pinnedCells(hidden.filter((cell) => cell.base > 0), [], document.suppressionThreshold);
  });
}

/** Hidden groups' mentions of each code beside the shown all-groups counts. */
function auditOpenText(document: ResultsDocument, inputs: AuditedInputs): string[] {
  return document.openText.flatMap((question) => {
    const all = question.scopes.find((s) => s.scope === "all");
    if (!all || all.respondents.suppressed) return [];
    const codebook = inputs.config.questionnaire.openText.find((q) => q.id === question.id)!.codebook;
    const hidden = question.scopes.filter((s) => s.scope !== "all" && s.respondents.suppressed).map((s): TableCell => {
      const answers = inputs.openTextAnswers(question.id, s.scope);
      return { name: `${question.id}/${s.scope}`, base: answers.length, counts: codebook.map((code) => answers.filter((codes) => codes.includes(code.id)).length) };
    });
    return pinnedCells(hidden, [], document.suppressionThreshold);
  });
}

/** (d) No test, and no change, printed beside a hidden share. */
function auditBesideHidden(document: ResultsDocument): string[] {
  const found: string[] = [];
  for (const c of document.comparisons) {
    if (c.samples.some((s) => s.share.suppressed) && (c.pairs.length > 0 || c.omnibus !== null || c.notTested === null)) found.push(`${c.id} is tested beside a hidden share`);
    if (c.kind === "subgroups" && c.group) {
      const row = document.subgroupBreakdowns.find((b) => b.group === c.group)?.items.find((i) => i.item === c.item);
      if (row?.subgroups.some((s) => s.share.suppressed) && c.samples.some((s) => !s.share.suppressed)) found.push(`${c.id} shows subgroups the breakdown hides`);
    }
  }
  for (const r of document.yearOnYear?.rows ?? []) {
    if ((r.previous.suppressed || r.current.suppressed) && (r.changePoints !== null || r.p !== null)) found.push(`year on year ${r.item}/${r.group}: a change beside a hidden share`);
  }
  return found;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
