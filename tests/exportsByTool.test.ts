import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ObjectStore } from "../lib/ports/objectStore.ts";
import { computeDocument } from "../lib/survey/compute/computeResults.ts";
import type { ResultsDocument } from "../lib/survey/results/resultsSchema.ts";
import { SOURCE_TOOLS } from "../lib/sources/sourceSchema.ts";
import { uploadExport } from "../scripts/local/exampleCycles.ts";
import { saveCycleConfig } from "../lib/survey/config/surveyCycleStore.ts";
import { recordingLogger, useLocalRuntime } from "./support/harness.ts";

// The 2025 leads export as each survey tool writes it (npm run examples), each read with its
// own cycle file: every leads figure must equal the canonical CSV's. Each upload is ingested
// through its S3 event; the results document is then computed here, without publishing its
// report, workbook and figures, which no test here reads.
const runtime = useLocalRuntime({ routeEvents: "uploads" });
const log = recordingLogger();
const FOLDER = "examples/exports-by-tool";
const TOOLS = SOURCE_TOOLS.filter((tool) => tool !== "csv");

/** Stores a cycle file and uploads its leads export; returns the results computed from it. */
async function ingestLeads(store: ObjectStore, cycleFile: string, exportFile: string): Promise<ResultsDocument> {
  const config = await saveCycleConfig(store, readFileSync(cycleFile, "utf8"), cycleFile);
  await uploadExport(store, config.id, "leads", exportFile);
  await runtime().idle();
  return (await computeDocument(config.id, { store, ledger: runtime().ledger, log })).document;
}

/** Every figure about the leads group, as numbers a report would print. */
function leadsFigures(document: ResultsDocument) {
  const rates = document.responseRates.groups.find((g) => g.group === "leads")!;
  return {
    table6: [rates.childAndFamilyOnly, rates.both, rates.responses],
    items: document.items.flatMap((item) =>
      item.groups.filter((g) => g.group === "leads").map((g) => [item.id, g.share.suppressed ? "n<30" : [g.share.n, g.share.base], g.categories?.map((c) => c.n)]),
    ),
    itemSets: document.itemSets.flatMap((set) => set.groups.filter((g) => g.group === "leads").map((g) => [set.id, g.average.suppressed ? "suppressed" : g.average.percentage])),
    rankings: document.rankings.flatMap((ranking) =>
      ranking.scopes.filter((s) => s.scope === "leads").map((s) => s.options.map((o) => [o.id, o.n, o.rank])),
    ),
  };
}

describe("every survey tool's export, ingested exactly as exported", () => {
  let canonical: ReturnType<typeof leadsFigures>;
  beforeAll(async () => {
    canonical = leadsFigures(await ingestLeads(runtime().store, "examples/asye-cf-2025/cycle.json", "examples/asye-cf-2025/exports/leads.csv"));
  });

  it("has the canonical figures to compare with (52 leads, the five top challenges)", () => {
    expect(canonical.table6).toEqual([32, 20, 52]);
    expect(canonical.rankings[0]!.slice(0, 2)).toEqual([
      ["supporting-leaders", 45, 1],
      ["retaining", 43, 2],
    ]);
  });

  it.each(TOOLS)("%s: the unedited export gives the canonical leads figures", async (tool) => {
    const folder = join(FOLDER, tool);
    const file = readdirSync(folder).find((name) => name.startsWith("leads."))!;
    const document = await ingestLeads(runtime().store, join(folder, "cycle.json"), join(folder, file));
    expect(runtime().failures).toEqual([]);
    // Only what the canonical compute says too: the 2024 cycle is not stored here.
    expect(new Set(log.lines.filter((line) => line.level !== "info").map((line) => line.message))).toEqual(new Set(["previous cycle's results are missing; rank changes left empty"]));
    expect(leadsFigures(document)).toEqual(canonical);
    const [current] = (await runtime().ledger.currentBatches(`asye-cf-2025-${tool}`)).filter((b) => b.group === "leads");
    expect(current!.counts).toEqual({ rows: 52, accepted: 52, rejected: 0, duplicates: 0 });
  });
});
