import { chartText } from "../report/barCharts.ts";
import type { OutputFile } from "./publishResults.ts";
import { tableCsv } from "./tableCsv.ts";

const FIGURE = /^figures\/figure-(\d+)\.svg$/;

/**
 * `figures/alt-text.csv` for the figures among a version's files: each figure's number, title
 * and alternative text, read from its SVG's `<title>` and `<desc>` (so the three always say the
 * same), in figure order, for a publisher to paste into a content system beside each PNG.
 * Undefined when the version has no figures.
 * @example altTextFile([{ name: "figures/figure-1.svg", body: '<svg><title>Workload</title><desc>Bar chart: 71% agree.</desc></svg>', contentType: "image/svg+xml" }])
 * // { name: "figures/alt-text.csv", body: "\uFEFFFigure,Title,Alternative text\r\n1,Workload,Bar chart: 71% agree.\r\n", … }
 */
export function altTextFile(files: readonly OutputFile[]): OutputFile | undefined {
  const figures = files
    .flatMap((file) => {
      const number = FIGURE.exec(file.name)?.[1];
      return number === undefined ? [] : [{ number: Number(number), ...chartText(typeof file.body === "string" ? file.body : Buffer.from(file.body).toString("utf8")) }];
    })
    .sort((a, b) => a.number - b.number);
  if (figures.length === 0) return undefined;
  const rows = figures.map((figure) => [figure.number, figure.title, figure.description]);
  return { name: "figures/alt-text.csv", body: tableCsv({ id: "alt-text", sheet: "alt-text", title: "Alternative text of the figures", notes: [], columns: ["Figure", "Title", "Alternative text"], rows }), contentType: "text/csv; charset=utf-8" };
}
