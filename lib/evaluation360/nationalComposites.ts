import type { EvaluationConfig } from "./evaluationConfig.ts";
import type { EvaluationResults, NationalStatement } from "./evaluationResultsSchema.ts";
import type { OrganisationScores } from "./organisationScores.ts";
import { ragBand, toOneDecimal } from "./ragBand.ts";

const WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"];

/** A count in words up to twenty, as the report writes it. */
function inWords(n: number): string {
  return WORDS[n] ?? String(n);
}

/**
 * Each statement's national figures over the included organisations: the national average is
 * the mean of the organisations' scores (each organisation counts once, however many of its
 * people responded, as min and max are organisation scores too), with the lowest and highest
 * organisation score, the RAG band of the average as shown, and last year's figures.
 */
export function nationalStatements(
  config: EvaluationConfig,
  included: readonly OrganisationScores[],
  previous: EvaluationResults | undefined,
): NationalStatement[] {
  const before = new Map(previous?.statements.map((statement) => [statement.number, statement]));
  return config.statements.map((statement) => {
    const scores = included.map((o) => o.statements.get(statement.number)!.score).filter((score): score is number => score !== undefined);
    const mean = scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
    const min = scores.length > 0 ? Math.min(...scores) : null;
    const max = scores.length > 0 ? Math.max(...scores) : null;
    const last = before.get(statement.number);
    const nationalAverage = mean === null ? null : toOneDecimal(mean);
    return {
      number: statement.number,
      theme: statement.theme,
      text: statement.text,
      organisations: scores.length,
      nationalAverage,
      min: min === null ? null : toOneDecimal(min),
      max: max === null ? null : toOneDecimal(max),
      rag: mean === null ? null : ragBand(mean, config.rag).id,
      unrounded: { nationalAverage: mean, min, max },
      zeroScores: included.filter((o) => o.statements.get(statement.number)!.all.n === 0 && o.statements.get(statement.number)!.score === 0).length,
      previous: last ? { nationalAverage: last.nationalAverage, min: last.min, max: last.max } : null,
      change: nationalAverage !== null && last?.nationalAverage != null ? toOneDecimal(nationalAverage - last.nationalAverage) : null,
    };
  });
}

/**
 * Each theme's summary: how many of its statements are in each band, the range of their
 * averages, and a sentence saying so ("Two of the eight statements scored a national average
 * of at least 4.0 (green); the other six scored 3.5 to 3.9 (amber).").
 */
export function themeSummaries(config: EvaluationConfig, statements: readonly NationalStatement[]): EvaluationResults["themes"] {
  return config.themes.map((theme) => {
    const own = statements.filter((statement) => statement.theme === theme.id);
    const averages = own.map((s) => s.nationalAverage).filter((a): a is number => a !== null);
    const bands = { red: 0, amber: 0, green: 0 };
    for (const statement of own) if (statement.rag) bands[statement.rag]++;
    const parts: string[] = [];
    const total = own.length;
    let described = 0;
    const range = (band: "red" | "amber" | "green") => {
      const values = own.filter((s) => s.rag === band).map((s) => s.nationalAverage!);
      const low = Math.min(...values).toFixed(1);
      const high = Math.max(...values).toFixed(1);
      return low === high ? low : `${low} to ${high}`;
    };
    const label = (band: "red" | "amber" | "green") => config.rag.find((b) => b.id === band)!.label.toLowerCase();
    for (const band of ["green", "amber", "red"] as const) {
      const count = bands[band];
      if (count === 0) continue;
      const averages = `${count === 1 ? "a national average" : "national averages"} of ${range(band)} (${label(band)})`;
      if (count === total) parts.push(`${total === 1 ? "The statement" : `All ${inWords(total)} statements`} scored ${averages}`);
      else if (described === 0) parts.push(`${capitalise(inWords(count))} of the ${inWords(total)} statements scored ${averages}`);
      else if (described + count === total) parts.push(`the ${count === 1 ? "other" : `other ${inWords(count)}`} scored ${averages}`);
      else parts.push(`${inWords(count)} scored ${averages}`);
      described += count;
    }
    return {
      id: theme.id,
      title: theme.title,
      statements: own.map((s) => s.number),
      bands,
      lowestAverage: averages.length > 0 ? Math.min(...averages) : null,
      highestAverage: averages.length > 0 ? Math.max(...averages) : null,
      summary: parts.length === 0 ? "No statement was scored." : `${parts.join("; ")}.`,
    };
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Regional averages per statement (the mean of the region's included organisations' scores).
 * A region with fewer included organisations than the cycle's minimum is withheld; and since
 * the national average with the shown regions gives the withheld ones' together, the next
 * smallest regions are withheld too until the withheld ones have at least the minimum between them.
 */
export function regionalAverages(config: EvaluationConfig, included: readonly OrganisationScores[]): EvaluationResults["regions"] {
  const regionOf = new Map(config.organisations.map((o) => [o.id, o.region]));
  if (![...regionOf.values()].some((region) => region !== undefined)) return [];
  const members = new Map<string, OrganisationScores[]>();
  for (const organisation of included) {
    const region = regionOf.get(organisation.id) ?? "Region not given";
    members.set(region, [...(members.get(region) ?? []), organisation]);
  }
  const minimum = config.minimumOrganisationsPerRegion;
  const regions = [...members.entries()].map(([region, list]): { region: string; list: OrganisationScores[]; suppressed: boolean; reason?: string } =>
    list.length < minimum ? { region, list, suppressed: true, reason: `fewer than ${minimum} included organisations` } : { region, list, suppressed: false },
  );
  const hiddenCount = () => regions.filter((r) => r.suppressed).reduce((total, r) => total + r.list.length, 0);
  if (regions.some((r) => r.suppressed)) {
    const shown = regions.filter((r) => !r.suppressed).sort((a, b) => a.list.length - b.list.length);
    while (hiddenCount() < minimum && shown.length > 0) {
      const next = shown.shift()!;
      next.suppressed = true;
      next.reason = "withheld so that a smaller region's averages cannot be worked out from the national ones";
    }
  }
  return regions
    .sort((a, b) => a.region.localeCompare(b.region))
    .map(({ region, list, suppressed, reason }) => ({
      region,
      organisations: list.length,
      suppressed,
      ...(reason ? { reason } : {}),
      averages: Object.fromEntries(
        config.statements.map((statement) => {
          const scores = list.map((o) => o.statements.get(statement.number)!.score).filter((s): s is number => s !== undefined);
          return [String(statement.number), suppressed || scores.length === 0 ? null : toOneDecimal(scores.reduce((a, b) => a + b, 0) / scores.length)];
        }),
      ),
    }));
}
