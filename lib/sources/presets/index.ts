import type { SourceTool } from "../sourceSchema.ts";
import { csvPreset } from "./csv.ts";
import { googleformsPreset } from "./googleforms.ts";
import { jiscPreset } from "./jisc.ts";
import { limesurveyPreset } from "./limesurvey.ts";
import { msformsPreset } from "./msforms.ts";
import type { SourcePreset } from "./preset.ts";
import { qualtricsPreset } from "./qualtrics.ts";
import { smartsurveyPreset } from "./smartsurvey.ts";
import { snapPreset } from "./snap.ts";
import { surveymonkeyPreset } from "./surveymonkey.ts";

/** Every tool's preset, by tool. */
export const PRESETS: Record<SourceTool, SourcePreset> = {
  csv: csvPreset,
  smartsurvey: smartsurveyPreset,
  surveymonkey: surveymonkeyPreset,
  qualtrics: qualtricsPreset,
  msforms: msformsPreset,
  googleforms: googleformsPreset,
  limesurvey: limesurveyPreset,
  jisc: jiscPreset,
  snap: snapPreset,
};

/** The tools whose exports a header (its first rows) looks like, most specific first. */
export function toolsLookingLike(rows: string[][]): SourcePreset[] {
  return Object.values(PRESETS).filter((preset) => preset.looksLike(rows));
}
