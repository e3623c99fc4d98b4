import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";
import type { Browser } from "playwright-core";

/** Where an unpacked Chromium lives and the environment it needs. */
export interface ChromiumInstall {
  executablePath: string;
  env: Record<string, string>;
}

/**
 * Unpacks the headless Chromium shipped inside `@sparticuz/chromium` (built for Lambda) to the
 * temp folder on first use. The same binary, shared libraries and fonts run on a developer's
 * machine, in CI and in a Lambda function: nothing comes from apt or a browser download.
 */
export async function prepareChromium(): Promise<ChromiumInstall> {
  // Loaded here, not at the top: a handler that imports this module but renders nothing (most
  // compute runs in tests, every annual-survey compute without a PDF) pays no start-up for them.
  const { default: chromium } = await import("@sparticuz/chromium");
  const executablePath = await chromium.executablePath();
  // Lambda's Amazon Linux has no NSS, so the package ships it and unpacks it there. Using the
  // shipped copy everywhere means a machine with only Node needs no system libraries, and
  // tests run what Lambda runs.
  const libraries = await unpackOnce(join(packageBin(), "al2023.tar.br"), join(tmpdir(), "asye-chromium-libs"));
  return {
    executablePath,
    env: {
      LD_LIBRARY_PATH: [join(libraries, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      FONTCONFIG_PATH: join(tmpdir(), "fonts"),
      HOME: process.env.HOME ?? tmpdir(),
    },
  };
}

/**
 * Launches headless Chromium through playwright-core. If the unpacked binary is unusable (an
 * earlier unpacking was cut short), it is unpacked again once before giving up.
 */
export async function launchChromium(): Promise<Browser> {
  try {
    return await launchFrom(await prepareChromium());
  } catch (error) {
    rmSync(join(tmpdir(), "chromium"), { force: true });
    try {
      return await launchFrom(await prepareChromium());
    } catch {
      throw new Error("headless Chromium from @sparticuz/chromium could not be started", { cause: error });
    }
  }
}

async function launchFrom(install: ChromiumInstall): Promise<Browser> {
  const [{ default: chromium }, { chromium: playwright }] = await Promise.all([import("@sparticuz/chromium"), import("playwright-core")]);
  return playwright.launch({
    executablePath: install.executablePath,
    // The package's flags for a sandbox-less, single-process headless shell, plus no
    // background networking: these machines (and a locked-down Lambda) have no internet.
    args: [...chromium.args, "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    env: { ...process.env, ...install.env },
  });
}

/** Unpacks a brotli tarball into `target` unless it is there; a half-done unpack is never seen. */
async function unpackOnce(archive: string, target: string): Promise<string> {
  if (existsSync(target)) return target;
  const partial = `${target}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const { extract } = await import("tar-fs");
  await pipeline(createReadStream(archive), createBrotliDecompress(), extract(partial));
  try {
    renameSync(partial, target);
  } catch (error) {
    // Another process finished first: use its copy.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return target;
}

/** The package's `bin` folder of compressed archives (so the package must stay outside any bundle). */
function packageBin(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "..", "bin");
}
