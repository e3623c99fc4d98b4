/**
 * Words into lines of at most `limit`, every word whole (a longer word has a line of its own):
 * how chart headings and labels are wrapped rather than cut. `limit` is in characters unless
 * `measure` says how wide a line is (the charts pass the font's widths in pixels, `textWidth` in textWidth.ts).
 *
 * @example wrapText("Positive impact on my ability to undertake my role", 20) // ["Positive impact on", "my ability to", "undertake my role"]
 * @example wrapText("Positive impact on my ability to undertake my role", 110, (line) => textWidth(line)) // ["Positive impact on", "my ability to", "undertake my role"]
 */
export function wrapText(text: string, limit: number, measure: (line: string) => number = (line) => line.length): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== "" && measure(`${line} ${word}`) > limit) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.length > 0 ? lines : [""];
}
