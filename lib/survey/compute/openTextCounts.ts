import type { CycleConfig } from "../config/cycleConfig.ts";
import type { CodedAnswer } from "../ingest/encodeExport.ts";
import type { OpenTextResult } from "../results/resultsSchema.ts";
import { competitionRanks } from "./competitionRanks.ts";
import { decideAdditiveTable } from "../../privacy/additiveTable.ts";
import { displayPercentage } from "./percentage.ts";
import { belowThreshold, complementary } from "./shareFigure.ts";

/** The analyst's coding of one question: response id (optionally `group:id`) → code ids. */
export type CodingFile = Map<string, string[]>;

/** The analyst's codes for one answer, where the coding file covers it. */
function codedByFile(file: CodingFile | undefined, group: string, answer: CodedAnswer): string[] | undefined {
  return file?.get(`${group}:${answer.responseId}`) ?? file?.get(answer.responseId);
}

/** The codes counted for each of one group's answers to a question: the coding file's where it covers the answer, else the rules'. */
export function codesOfAnswers(answers: readonly CodedAnswer[], group: string, file: CodingFile | undefined): string[][] {
  return answers.map((answer) => codedByFile(file, group, answer) ?? answer.codes);
}

/**
 * Counts each open-text question's codes within each group asked and across them: the codes
 * of an answer are the analyst's coding file's where it covers the response, else the rules'.
 * A base (respondents who wrote an answer) under the threshold is suppressed with its counts;
 * the all-groups figure too when subtracting the shown groups would reveal a suppressed one.
 */
export function buildOpenTextCounts(
  config: CycleConfig,
  coded: ReadonlyMap<string, Record<string, CodedAnswer[]>>,
  coding: ReadonlyMap<string, CodingFile>,
): OpenTextResult[] {
  const threshold = config.suppressionThreshold;
  return config.questionnaire.openText.map((question) => {
    const file = coding.get(question.id);
    let byFile = 0;
    const asked = config.groups.map((g) => g.id).filter((group) => question.columns[group] !== undefined);
    const answersOf = (group: string) => {
      const answers = coded.get(group)?.[question.id] ?? [];
      byFile += answers.filter((answer) => codedByFile(file, group, answer)).length;
      return codesOfAnswers(answers, group, file);
    };
    const perGroup = asked.map((group) => ({ group, answers: answersOf(group) }));
    const scopes: OpenTextResult["scopes"] = perGroup.map(({ group, answers }) => scope(group, [group], answers));
    if (perGroup.length > 1) {
      // Every code's mentions are published for all groups: hidden groups that all mention a
      // code, or none do, would be given away as much as by their count.
      const mentions = (answers: string[][]) => question.codebook.map((code) => answers.filter((codes) => codes.includes(code.id)).length);
      const decision = decideAdditiveTable(perGroup.map(({ group, answers }) => ({ name: group, base: answers.length, counts: mentions(answers) })), [], threshold, "hide-total");
      const all = perGroup.flatMap(({ answers }) => answers);
      scopes.push(decision.totalHidden ? { scope: "all", groups: asked, respondents: complementary(threshold, decision.small.join(", ") || "the hidden groups"), codes: [] } : scope("all", asked, all));
    }
    return {
      id: question.id,
      text: question.text,
      codedBy: file ? "the codebook's rules, and the analyst's coding file for the answers it covers" : "the codebook's rules",
      answersCodedByFile: byFile,
      scopes,
    };

    function scope(name: string, groups: string[], answers: string[][]): OpenTextResult["scopes"][number] {
      if (answers.length < threshold) return { scope: name, groups, respondents: belowThreshold(threshold), codes: [] };
      const counted = question.codebook
        .map((code) => ({ code, n: answers.filter((codes) => codes.includes(code.id)).length }))
        .sort((a, b) => b.n - a.n);
      const ranks = competitionRanks(counted, (a, b) => b.n - a.n);
      return {
        scope: name,
        groups,
        respondents: { suppressed: false, base: answers.length },
        codes: counted.map(({ code, n }, i) => ({ id: code.id, label: code.label, n, percentage: displayPercentage(n, answers.length), rank: ranks[i]! })),
      };
    }
  });
}
