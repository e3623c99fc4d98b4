/**
 * Words into lines of at most `limit` characters, every word whole (a longer word has a line of
 * its own): how chart headings and labels are wrapped rather than cut.
 *
 * @example wrapText("Positive impact on my ability to undertake my role", 20) // ["Positive impact on", "my ability to", "undertake my role"]
 */
export function wrapText(text: string, limit: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== "" && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.length > 0 ? lines : [""];
}
