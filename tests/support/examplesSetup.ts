import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { buildExampleWorld } from "./exampleWorld.ts";

/**
 * Builds the example cycles once for every test file that reads them (the `examples` project):
 * each file then starts its runtime on a copy, instead of ingesting and computing them again.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const stateDir = await buildExampleWorld();
  project.provide("exampleWorld", stateDir);
  return () => rmSync(stateDir, { recursive: true, force: true });
}
