import { writeFileSync } from "node:fs";
import type { CliCommand } from "../cli.ts";
import { callApi } from "../localRuntime.ts";

/** `asye fetch`: fetches results (or one section) through the results API. */
export const fetchResults: CliCommand = {
  name: "fetch",
  summary: "Fetch a cycle's results, or one section, through the results API, to a file or stdout.",
  usage: "asye fetch <cycleId> [response-rates|items|item-sets|rankings|comparisons] [--out file]",
  details: "Uses the deployed API when ASYE_API_URL and ASYE_API_TOKEN are set, otherwise the local runtime.",
  options: { out: { type: "string" } },
  optionHelp: { out: "write the JSON to this file" },
  positionals: { min: 1, max: 2 },
  async run(values, [cycleId, section]) {
    const { status, body } = await callApi("GET", `/cycles/${cycleId}/results${section ? `/${section}` : ""}`);
    if (status !== 200) {
      console.error(`${status}: ${body}`);
      return 1;
    }
    printJson(body, values.out);
    return 0;
  },
};

/** Pretty-prints a JSON body to a file (saying where) or to stdout. */
export function printJson(body: string, out: string | boolean | undefined): void {
  const pretty = `${JSON.stringify(JSON.parse(body), null, 2)}\n`;
  if (typeof out === "string") {
    writeFileSync(out, pretty);
    console.log(`wrote ${out}`);
  } else process.stdout.write(pretty);
}
