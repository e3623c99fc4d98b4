import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Runs the files that read the example cycles after every other file, slowest first as usual
 * within each part: the examples' global setup builds them in the background meanwhile.
 */
export default class ExamplesLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (file: TestSpecification) => file.project.name === "examples";
    return [...sorted.filter((file) => !last(file)), ...sorted.filter(last)];
  }
}
