import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { CliCommand } from "../cli.ts";
import { callApi } from "../localRuntime.ts";

/** `asye report`: writes the HTML report of a cycle. */
export const report: CliCommand = {
  name: "report",
  summary: "Write a cycle's HTML report to out/{cycleId}/report.html and print its path.",
  usage: "asye report <cycleId>",
  positionals: { min: 1, max: 1 },
  async run(_values, [cycleId]) {
    // Loaded here, not at start: `asye --help` and the other commands start without it.
    const { renderReport } = await import("../../lib/survey/report/renderReport.ts");
    const { resultsDocumentSchema } = await import("../../lib/survey/results/resultsSchema.ts");
    const { status, body } = await callApi("GET", `/cycles/${cycleId}/results`);
    if (status !== 200) {
      console.error(`${status}: ${body}`);
      return 1;
    }
    const path = join("out", cycleId!, "report.html");
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderReport(resultsDocumentSchema.parse(JSON.parse(body))));
    console.log(`report: ${resolve(path)}`);
    return 0;
  },
};
