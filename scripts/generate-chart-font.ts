/**
 * Writes lib/report/chartFontData.ts from the Arimo font in @fontsource/arimo (a devDependency):
 * the Latin subset's regular and bold faces as WOFF2 (base64), which figures embed (subset per SVG)
 * and the PDF printer gives its pages, and each character's advance width in both weights, which
 * the charts are laid out with. Arimo has Arial's metrics, so the same widths hold where a viewer
 * draws the charts in Arial or Liberation Sans. `npx tsx scripts/generate-chart-font.ts`; a test
 * fails when the committed file drifts from the package.
 */
import { writeFileSync } from "node:fs";
import { chartFontModule } from "./chartFontModule.ts";

const file = "lib/report/chartFontData.ts";
writeFileSync(file, chartFontModule());
console.log(`wrote ${file}`);
