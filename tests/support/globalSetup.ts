import type { TestProject } from "vitest/node";
import { startSharedDynamo } from "../../lib/local/localStack.ts";
import { prepareChromium } from "../../lib/render/launchChromium.ts";

/**
 * Before the files of the services project run, two at a time: unpacks Chromium once (they might
 * unpack it together), and starts the one DynamoDB Local they share, each file with tables of its
 * own (a JVM per file cost more than most files' tests).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await prepareChromium();
  const dynamo = await startSharedDynamo();
  project.provide("sharedDynamo", dynamo.endpoint);
  return dynamo.stop;
}
