import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest, by design (processes started, servers stopped and started, a
 * 100 MB export), longest first: started first, they run beside the many short ones instead of
 * after them. Vitest orders by the last run's durations, which a clean clone (CI) does not have.
 */
const LONGEST_FIRST = ["tests/cli.test.ts", "tests/dynamoOutage.test.ts", "tests/deliveryFaults.test.ts", "tests/ingestBadInputs.test.ts"];

/**
 * Runs the longest files first, then the others (slowest first as Vitest knows them), and the
 * files that read the example cycles after every other file: the examples' global setup builds
 * them in the background meanwhile.
 */
export default class ExamplesLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(name));
      return at >= 0 ? at : LONGEST_FIRST.length;
    };
    const last = (file: TestSpecification) => file.project.name === "examples";
    const first = sorted.filter((file) => !last(file)).sort((a, b) => rank(a) - rank(b));
    return [...first, ...sorted.filter(last)];
  }
}
