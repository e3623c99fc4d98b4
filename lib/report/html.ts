const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/**
 * A table with a caption, header row and body rows (cells already HTML). The first column heads
 * the rows; the others are right-aligned figures unless listed in `textColumns`.
 */
export function htmlTable(caption: string, head: string[], rows: string[][], className = "", textColumns: number[] = []): string {
  const align = (i: number) => (i > 0 && !textColumns.includes(i) ? ' class="num"' : "");
  const headCells = head.map((cell, i) => `<th scope="col"${align(i)}>${cell}</th>`).join("");
  const bodyRows = rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${cell}</th>` : `<td${align(i)}>${cell}</td>`)).join("")}</tr>`)
    .join("\n");
  // Wide tables scroll inside their own box on a phone; the page itself never scrolls sideways.
  return `<div class="table-wrap" role="region" aria-label="${escapeHtml(plainText(caption))}" tabindex="0"><table class="${className}"><caption>${caption}</caption><thead><tr>${headCells}</tr></thead><tbody>\n${bodyRows}\n</tbody></table></div>`;
}

/** The text of an HTML fragment (tags dropped, the entities escapeHtml writes decoded). */
function plainText(html: string): string {
  const decoded: Record<string, string> = Object.fromEntries(Object.entries(ENTITIES).map(([char, entity]) => [entity, char]));
  return html.replace(/<[^>]+>/g, "").replace(/&(amp|lt|gt|quot|#39);/g, (entity) => decoded[entity]!);
}
