import { embedChartFont } from "./embedChartFont.ts";
import { escapeHtml } from "./html.ts";
import { textWidth } from "./textWidth.ts";
import { wrapText } from "./wrapText.ts";

const LINE = 17;

/**
 * A chart as a file an author can paste as it is: its number and title above it (wrapped, in
 * bold) and its source below, sized in pixels rather than to the page, with the chart's own
 * `<title>` and `<desc>` kept first (alt text is read from them). The chart is drawn as in the
 * report, moved down under the heading. Its font is embedded (a subset: {@link embedChartFont}),
 * so it draws the same wherever it is opened or pasted.
 *
 * @example await publishableSvg('<svg viewBox="0 0 640 94" width="100%" …><title>T</title><desc>D</desc>…</svg>', "Figure 5: T", "Source: ASYE annual survey 2024-25, Skills for Care")
 */
export async function publishableSvg(chart: string, heading: string, source: string): Promise<string> {
  return embedChartFont(framedChart(chart, heading, source));
}

/** The chart under its heading (wrapped to the chart's width in the font's bold 13 px) and over its source line. */
function framedChart(chart: string, heading: string, source: string): string {
  const box = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(chart);
  const head = /^<svg[^>]*>(?:<title>[^<]*<\/title>)?(?:<desc>[^<]*<\/desc>)?/.exec(chart);
  if (!box || !head || !chart.endsWith("</svg>")) return chart;
  const width = Number(box[1]);
  const lines = wrapText(heading, width, (line) => textWidth(line, 13, "bold"));
  const top = lines.length * LINE + 10;
  const height = Math.ceil(Number(box[2]) + top + LINE + 6);
  const root = head[0]
    .replace(box[0], `viewBox="0 0 ${width} ${height}"`)
    .replace(/ width="100%"/, ` width="${width}" height="${height}"`);
  const title = lines.map((line, i) => `<text x="0" y="${(i + 1) * LINE - 4}" font-weight="bold" font-size="13">${escapeHtml(line)}</text>`).join("");
  const body = chart.slice(head[0].length, -"</svg>".length);
  const footer = `<text x="0" y="${height - 6}" fill="#4d4d4d" font-size="11">${escapeHtml(source)}</text>`;
  return `${root}<rect width="100%" height="100%" fill="#ffffff"/>${title}<g transform="translate(0 ${top})">${body}</g>${footer}</svg>`;
}

/** A figure's heading with its number: its title where that has it already, else "Figure 5: " (from the id figure-5) and the title. */
export function figureHeading(id: string, title: string): string {
  if (/^Figure \d+/.test(title)) return title;
  const number = /^figure-(\d+)$/.exec(id)?.[1];
  return number ? `Figure ${number}: ${title}` : title;
}
