/**
 * The column names of an export from its header rows. With one row, the names are its cells.
 * With two (SmartSurvey, SurveyMonkey), a question's text is carried over the blank cells to
 * its right and joined with ` - ` to the second row's text (`<question> - <option>`); a
 * placeholder in the second row (SurveyMonkey's `Response`) is not part of the name.
 * Linear in the number of columns.
 *
 * @example headerNames([["Q1", "", "Id"], ["A", "B", ""]], []) // ["Q1 - A", "Q1 - B", "Id"]
 */
export function headerNames(rows: string[][], placeholders: readonly string[]): string[] {
  if (rows.length === 1) return rows[0]!.map((cell) => cell.trim());
  const width = Math.max(...rows.map((row) => row.length));
  const placeholder = new Set(placeholders.map((text) => text.trim().toLowerCase()));
  const carried = rows.slice(0, -1).map(() => "");
  const last = rows[rows.length - 1]!;
  const names: string[] = new Array<string>(width);
  for (let column = 0; column < width; column++) {
    const parts: string[] = [];
    for (let r = 0; r < rows.length - 1; r++) {
      const cell = (rows[r]![column] ?? "").trim();
      if (cell !== "") carried[r] = cell;
      if (carried[r] !== "") parts.push(carried[r]!);
    }
    const sub = (last[column] ?? "").trim();
    if (sub !== "" && !placeholder.has(sub.toLowerCase())) parts.push(sub);
    names[column] = parts.join(" - ");
  }
  return names;
}
