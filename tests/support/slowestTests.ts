import type { Reporter, TestModule } from "vitest/node";

/** How many of the slowest tests and files are printed. */
const SHOWN = 10;

/**
 * Prints the ten slowest tests and the ten slowest files after every run, each test and each
 * file's time outside its tests (its hooks) against the limit they must stay under, so a test or
 * hook that grows slow is seen when it appears, not when CI times out.
 */
export default class SlowestTests implements Reporter {
  constructor(private readonly limitMs: number) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tests = testModules.flatMap((module) =>
      [...module.children.allTests()].map((test) => ({ name: `${module.relativeModuleId} › ${test.fullName}`, ms: test.diagnostic()?.duration ?? 0 })),
    );
    const files = testModules.map((module) => {
      const ms = module.diagnostic().duration;
      // What the file spent outside its tests: its hooks (each bound by the same limit) and loading.
      const outside = ms - [...module.children.allTests()].reduce((sum, test) => sum + (test.diagnostic()?.duration ?? 0), 0);
      return { name: `${module.relativeModuleId} (outside its tests ${(outside / 1000).toFixed(1)} s, ${Math.round((100 * outside) / this.limitMs)}% of the limit)`, ms };
    });
    if (tests.length === 0) return;
    const lines = ["", `Slowest tests (each must finish within ${this.limitMs / 1000} s):`, ...slowest(tests, this.limitMs)];
    lines.push("", "Slowest files, and the time each spent in hooks and loading (a hook has the same limit):", ...slowest(files));
    console.log(lines.join("\n"));
  }
}

/** The slowest entries, longest first, as aligned lines; with a limit, each as a share of it. */
function slowest(entries: { name: string; ms: number }[], limitMs?: number): string[] {
  return [...entries]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, SHOWN)
    .map(({ name, ms }) => `  ${(ms / 1000).toFixed(1).padStart(6)} s${limitMs ? ` ${String(Math.round((100 * ms) / limitMs)).padStart(3)}%` : ""}  ${name}`);
}
