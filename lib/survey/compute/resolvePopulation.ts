import { z } from "zod";
import type { RakeMargin } from "../../stats/rake.ts";
import { normalizeLabel } from "../../sources/normalizeLabel.ts";
import { readPublishedDocument } from "../../publication/publishResults.ts";
import { type CycleConfig, fromOutcomes, type GroupWeighting } from "../config/cycleConfig.ts";
import type { ComputeDeps } from "./computeResults.ts";

/** What the weighting reads of an outcomes cycle's published results: its registrations by region and employer type. */
const registrationsSchema = z.object({
  kind: z.literal("outcomes"),
  registrations: z.object({
    cohort: z.string(),
    byRegion: z.array(z.object({ level: z.string(), label: z.string(), nqsws: z.number().int().min(0) })),
    byEmployerType: z.array(z.object({ level: z.string(), label: z.string(), nqsws: z.number().int().min(0) })),
  }),
});

/**
 * Each margin's population totals by subgroup id: as the cycle file gives them, or from an
 * outcomes cycle's published registrations, where a subgroup's population is the registrations
 * of the levels its `values` name (by label or id, after normalising). An outcomes cycle without
 * published results, or a subgroup none of whose values is a level, gives an error naming it.
 */
export async function resolvePopulation(config: CycleConfig, weighting: GroupWeighting, deps: Pick<ComputeDeps, "store" | "ledger">): Promise<RakeMargin[] | { error: string }> {
  const margins: RakeMargin[] = [];
  for (const margin of weighting.margins) {
    const population = margin.population;
    if (!fromOutcomes(population)) {
      margins.push({ variable: margin.variable, population });
      continue;
    }
    const loaded = await readPublishedDocument(population.outcomesCycle, registrationsSchema, deps);
    if (loaded.status !== "ok") return { error: `the outcomes cycle "${population.outcomesCycle}" has no published registrations to weight ${margin.variable} by (compute it first)` };
    const levels = population.registrationsBy === "region" ? loaded.document.registrations.byRegion : loaded.document.registrations.byEmployerType;
    const variable = config.questionnaire.subgroupVariables.find((v) => v.id === margin.variable)!;
    const totals: Record<string, number> = {};
    for (const subgroup of variable.subgroups) {
      const names = new Set(subgroup.values.map(normalizeLabel));
      const matched = levels.filter((level) => names.has(normalizeLabel(level.label)) || names.has(normalizeLabel(level.level)));
      if (matched.length === 0) return { error: `no registrations by ${population.registrationsBy} in ${population.outcomesCycle} for subgroup "${subgroup.id}" of ${variable.id} (its values: ${subgroup.values.join(", ")}; the levels: ${levels.map((l) => l.label).join(", ")})` };
      totals[subgroup.id] = matched.reduce((sum, level) => sum + level.nqsws, 0);
    }
    margins.push({ variable: margin.variable, population: totals });
  }
  return margins;
}
