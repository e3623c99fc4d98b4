import { configDefaults, defineConfig } from "vitest/config";
import ExamplesLast from "./tests/support/examplesLast.ts";
import SlowestTests from "./tests/support/slowestTests.ts";

/** How long any one test or hook may take: the same on every machine; a test that nears it is made smaller. */
const LIMIT_MS = 120_000;

/** Pure functions (statistics, readers, encoders, configuration, tables): no servers, no browser. `npm run test:unit`. */
const UNIT = [
  "tests/accessibility.test.ts",
  "tests/additiveTable.test.ts",
  "tests/cognitoSignIn.test.ts",
  "tests/comparisons.test.ts",
  "tests/computeRules.test.ts",
  "tests/csvFuzz.test.ts",
  "tests/cycleConfig.test.ts",
  "tests/declaredFigures.test.ts",
  "tests/dateColumn.test.ts",
  "tests/disclosureAudit.test.ts",
  "tests/figures.test.ts",
  "tests/formatDateTime.test.ts",
  "tests/infrastructure.test.ts",
  "tests/initCycle.test.ts",
  "tests/legacyAggregates.test.ts",
  "tests/lineEncoder.test.ts",
  "tests/logisticRegression.test.ts",
  "tests/mergeGroup.test.ts",
  "tests/observability.test.ts",
  "tests/openTextRules.test.ts",
  "tests/outcomesRegistrations.test.ts",
  "tests/rake.test.ts",
  "tests/raoScott.test.ts",
  "tests/readCsvRecords.test.ts",
  "tests/rejectionReport.test.ts",
  "tests/responseRates.test.ts",
  "tests/resultsSchema.test.ts",
  "tests/sources.test.ts",
  "tests/stats.test.ts",
  "tests/tallyBatch.test.ts",
  "tests/weightedShare.test.ts",
  "tests/weighting.test.ts",
  "tests/wideHeader.test.ts",
  "tests/workbookLimits.test.ts",
  "tests/yearOnYear.test.ts",
];

/** Files that read the example cycles: built once per run in the background by the examples project's global setup, each file on its own copy, run last. */
const EXAMPLES = ["tests/exampleCycle.test.ts", "tests/report.test.ts", "tests/resultsApi.test.ts", "tests/evaluation360Example.test.ts", "tests/outcomes.test.ts", "tests/publishedItems.test.ts"];

export default defineConfig({
  test: {
    testTimeout: LIMIT_MS,
    hookTimeout: LIMIT_MS,
    // Two files at a time suits a 2-core machine (each with its own DynamoDB Local when it uses one).
    maxWorkers: 2,
    reporters: ["default", new SlowestTests(LIMIT_MS)],
    // The example cycles build in the background while every other file runs.
    sequence: { sequencer: ExamplesLast },
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
    },
    projects: [
      { extends: true, test: { name: "unit", include: UNIT, isolate: false } },
      {
        extends: true,
        test: { name: "services", include: ["tests/**/*.test.ts"], exclude: [...configDefaults.exclude, ...UNIT, ...EXAMPLES], globalSetup: ["tests/support/globalSetup.ts"] },
      },
      { extends: true, test: { name: "examples", include: EXAMPLES, globalSetup: ["tests/support/examplesSetup.ts"] } },
    ],
  },
});
