import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The console's own few rules beside GOV.UK Frontend's (the navigation bar at 390 px, the summary block). */
const CONSOLE_CSS = `
.console-navigation { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 10px; }
.console-sign-out { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; padding: 10px 0; }
.console-role { font-family: arial, sans-serif; }
.console-sign-out__button { margin-bottom: 0; }
.console-summary { white-space: pre; overflow-x: auto; font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9rem; padding: 15px; background: #f3f2f1; }
.console-downloads { column-width: 16em; }
.console-scroll { overflow-x: auto; margin-bottom: 20px; }
.console-scroll .govuk-table { margin-bottom: 0; }
.console-wide-select { width: 100%; max-width: 40em; }
`;

let frontendCss: Promise<string> | undefined;

/** GOV.UK Frontend's compiled stylesheet, from the installed package (read once). */
async function govukCss(): Promise<string> {
  frontendCss ??= (async () => {
    // Resolved through the package, so a bundle that copies node_modules/govuk-frontend beside it finds it too.
    const require = createRequire(fileURLToPath(import.meta.url));
    const root = dirname(require.resolve("govuk-frontend/package.json"));
    return readFile(join(root, "dist/govuk/govuk-frontend.min.css"), "utf8");
  })();
  return frontendCss;
}

/**
 * A static asset by path, or undefined. Only the stylesheets: GOV.UK Frontend's fonts (GDS
 * Transport) are licensed for GOV.UK services alone, so pages fall back to Arial, and the
 * crown's images are not ours to use.
 */
export async function staticAsset(path: string): Promise<{ type: string; body: string } | undefined> {
  if (path === "/assets/govuk-frontend.min.css") return { type: "text/css; charset=utf-8", body: await govukCss() };
  if (path === "/assets/console.css") return { type: "text/css; charset=utf-8", body: CONSOLE_CSS };
  return undefined;
}
