import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import chromium, { inflate } from "@sparticuz/chromium";
import { type Browser, chromium as playwright } from "playwright-core";

/**
 * The headless Chromium shipped inside `@sparticuz/chromium` (built for Lambda), unpacked to
 * the temp folder on first use. The same binary, shared libraries and fonts run on a
 * developer's Debian machine, in CI and in a Lambda function, so nothing comes from apt and
 * a report renders the same everywhere.
 */
export async function prepareChromium(): Promise<ChromiumInstall> {
  const executablePath = await chromium.executablePath();
  // Lambda's Amazon Linux has no NSS; the package ships it. Using the shipped copy on every
  // machine (not only in Lambda, where the package does this itself) means a machine with
  // only Node needs no system libraries, and tests run what Lambda runs.
  const libraries = await inflate(join(packageBin(), "al2023.tar.br"));
  return {
    executablePath,
    env: {
      LD_LIBRARY_PATH: [join(libraries, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      FONTCONFIG_PATH: join(tmpdir(), "fonts"),
      HOME: process.env.HOME ?? tmpdir(),
    },
  };
}

/** Where an unpacked Chromium lives and the environment it needs. */
export interface ChromiumInstall {
  executablePath: string;
  env: Record<string, string>;
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

function launchFrom(install: ChromiumInstall): Promise<Browser> {
  return playwright.launch({
    executablePath: install.executablePath,
    // The package's own flags for a sandbox-less, single-process headless shell, plus no
    // background networking: these machines (and a locked-down Lambda) have no internet.
    args: [...chromium.args, "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    env: { ...process.env, ...install.env },
  });
}

/** The package's `bin` folder of compressed archives (so it must stay outside any bundle). */
function packageBin(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..", "bin");
}
