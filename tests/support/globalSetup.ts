import { prepareChromium } from "../../lib/render/launchChromium.ts";

/** Unpacks Chromium once, before the test files run in parallel and might unpack it together. */
export default async function setup(): Promise<void> {
  await prepareChromium();
}
