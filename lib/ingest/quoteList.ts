/** `"a", "b", "c"`: values quoted for messages. */
export function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}
