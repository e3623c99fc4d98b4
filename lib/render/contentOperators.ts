/** One operator of a PDF content stream: its name, and where it starts (at its first operand) and ends. */
export interface ContentOperator {
  op: string;
  start: number;
  end: number;
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([..."()<>[]{}/%"].map((c) => c.charCodeAt(0)));
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const OPERANDS = new Set(["true", "false", "null"]);

/**
 * The operators of a content stream (ISO 32000-1, 7.8.2) in order, each with the byte range of
 * its operands and itself, so that a caller can wrap a run of them in marked content. Strings,
 * names, arrays and dictionaries are skipped as operands; an inline image (BI … ID … EI) is one
 * operator, `BI`, whose data is skipped.
 * @example contentOperators(Buffer.from("BT /F1 8 Tf (x) Tj ET")) // BT 0-2, Tf 3-12, Tj 13-18, ET 19-21
 */
export function contentOperators(content: Uint8Array): ContentOperator[] {
  const operators: ContentOperator[] = [];
  let operandStart = -1;
  let i = 0;
  while (i < content.length) {
    const byte = content[i]!;
    if (WHITESPACE.has(byte)) {
      i++;
      continue;
    }
    if (byte === 0x25 /* % */) {
      while (i < content.length && content[i] !== 0x0a && content[i] !== 0x0d) i++;
      continue;
    }
    const tokenStart = i;
    const token = readToken(content, i);
    i = token.end;
    if (token.operator === undefined) {
      if (operandStart < 0) operandStart = tokenStart;
      continue;
    }
    let end = i;
    if (token.operator === "BI") end = i = inlineImageEnd(content, i);
    operators.push({ op: token.operator, start: operandStart < 0 ? tokenStart : operandStart, end });
    operandStart = -1;
  }
  return operators;
}

/** The token at `i`: where it ends, and its name when it is an operator. */
function readToken(content: Uint8Array, i: number): { end: number; operator?: string } {
  const byte = content[i]!;
  if (byte === 0x28 /* ( */) return { end: literalStringEnd(content, i) };
  if (byte === 0x3c /* < */) return { end: content[i + 1] === 0x3c ? i + 2 : indexOrEnd(content, 0x3e, i) + 1 };
  if (byte === 0x3e /* > */) return { end: content[i + 1] === 0x3e ? i + 2 : i + 1 };
  if (byte === 0x5b || byte === 0x5d || byte === 0x7b || byte === 0x7d) return { end: i + 1 };
  if (byte === 0x2f /* / */) return { end: regularEnd(content, i + 1) };
  const end = regularEnd(content, i);
  if (end === i) return { end: i + 1 }; // a stray delimiter (a lone ")"): skipped
  const word = Buffer.from(content.subarray(i, end)).toString("latin1");
  return NUMBER.test(word) || OPERANDS.has(word) ? { end } : { end, operator: word };
}

/** The end of a run of regular characters starting at `i`. */
function regularEnd(content: Uint8Array, i: number): number {
  while (i < content.length && !WHITESPACE.has(content[i]!) && !DELIMITERS.has(content[i]!)) i++;
  return i;
}

/** The end of the literal string opening at `i`: balanced parentheses, backslash escapes. */
function literalStringEnd(content: Uint8Array, i: number): number {
  let depth = 0;
  for (; i < content.length; i++) {
    const byte = content[i]!;
    if (byte === 0x5c /* \ */) i++;
    else if (byte === 0x28) depth++;
    else if (byte === 0x29 && --depth === 0) return i + 1;
  }
  return content.length;
}

function indexOrEnd(content: Uint8Array, byte: number, from: number): number {
  const at = content.indexOf(byte, from);
  return at < 0 ? content.length - 1 : at;
}

/** The end of an inline image's data: past the `EI` that follows `ID` and the data, between white space. */
function inlineImageEnd(content: Uint8Array, i: number): number {
  const id = Buffer.from(content.buffer, content.byteOffset, content.byteLength).indexOf("ID", i, "latin1");
  for (let at = id < 0 ? content.length : id + 3; at < content.length - 1; at++) {
    if (content[at] === 0x45 && content[at + 1] === 0x49 && WHITESPACE.has(content[at - 1]!) && (at + 2 >= content.length || WHITESPACE.has(content[at + 2]!))) return at + 2;
  }
  return content.length;
}
