import type { CliCommand } from "../cli.ts";
import { callApi } from "../localRuntime.ts";
import { printJson } from "./fetch.ts";

/** `asye cycles`: lists the cycles through the results API. */
export const cycles: CliCommand = {
  name: "cycles",
  summary: "List every cycle with its state and when its results were computed (through the results API).",
  usage: "asye cycles [--out file]",
  details: "Uses the deployed API when ASYE_API_URL and ASYE_API_TOKEN are set, otherwise the local runtime.",
  options: { out: { type: "string" } },
  optionHelp: { out: "write the JSON to this file" },
  positionals: { min: 0, max: 0 },
  async run(values) {
    const { status, body } = await callApi("GET", "/cycles");
    if (status !== 200) {
      console.error(`${status}: ${body}`);
      return 1;
    }
    printJson(body, values.out);
    return 0;
  },
};
