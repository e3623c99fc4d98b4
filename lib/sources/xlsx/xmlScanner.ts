import { sizeText, WorkbookLimitError } from "./workbookLimits.ts";

/** What an {@link XmlScanner} tells as it reads: tags by their local name (`x:c` is `c`), and text where it is wanted. */
export interface XmlHandler {
  /** Whether the text from here to the next tag matters: only then is it decoded and handed over. */
  wantsText: boolean;
  /** A start tag (`scanner.attribute` reads its attributes during the call); a self-closing tag is followed by its close. */
  open(name: string): void;
  close(name: string): void;
  /** Text, entities decoded, in pieces (a long text comes in several). */
  text(text: string): void;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const AMPERSAND = 0x26;
const SEMICOLON = 0x3b;
const QUESTION = 0x3f;
const BANG = 0x21;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
/** The longest entity (`&#x10FFFF;`): text that ends in an unfinished one waits for the rest. */
const LONGEST_ENTITY = 10;

/**
 * A streaming reader of the XML in a workbook, in bounded memory: it holds at most one
 * unfinished tag (up to the markup limit: a longer tag, comment or instruction refuses the
 * workbook) and a few bytes of unfinished text; text comes out as it is read, so the handler
 * decides how much of it to keep. Elements are told by local name; comments and instructions
 * are skipped; a DOCTYPE (workbooks have none; it is how entity bombs are made) refuses the
 * part. Entities: the five XML ones and character references.
 */
export class XmlScanner {
  private carry: Buffer | undefined;
  /** The tag being told to the handler (bytes [tagStart, tagEnd) of tagData), and its attributes once asked for. */
  private tagData: Buffer = Buffer.alloc(0);
  private tagStart = 0;
  private tagEnd = 0;
  /** Where the value {@link findAttribute} last found ends. */
  valueEnd = -1;
  /** Element names read so far, by a hash of their bytes: a name is made once, not once a tag. */
  private readonly names = new Map<number, string>();

  constructor(
    private readonly handler: XmlHandler,
    /** The part being read, for messages. */
    private readonly part: string,
    private readonly markupLimit: number,
  ) {}

  /** Reads the next bytes of the part. */
  push(bytes: Buffer): void {
    const data = this.carry === undefined ? bytes : Buffer.concat([this.carry, bytes]);
    this.carry = undefined;
    let at = 0;
    while (at < data.length) {
      if (data[at] !== LT) {
        at = this.readText(data, at);
        if (at < 0) return;
        continue;
      }
      const end = this.markupEnd(data, at);
      if (end < 0) {
        this.checkMarkupLength(data.length - at);
        this.carry = Buffer.from(data.subarray(at));
        return;
      }
      this.checkMarkupLength(end - at);
      this.markup(data, at, end);
      at = end;
    }
  }

  /** The end of the part: an unfinished tag there is not XML. */
  end(): void {
    if (this.carry !== undefined && this.carry.includes(LT)) throw new Error(`${this.part} ends inside a tag`);
  }

  /**
   * During `open`: the tag's attribute with this name, or else the first whose local name it is
   * (`id` finds `r:id`; namespace declarations never count), entities decoded.
   */
  attribute(name: string): string | undefined {
    const start = this.findAttribute(name);
    return start < 0 ? undefined : decodeEntities(this.tagData.toString("utf8", start, this.valueEnd));
  }

  /** An attribute holding a whole number (`s="12"`), read from its bytes; NaN when it is absent or not one. */
  attributeInteger(name: string): number {
    const start = this.findAttribute(name);
    if (start < 0 || start === this.valueEnd) return Number.NaN;
    let value = 0;
    for (let i = start; i < this.valueEnd; i++) {
      const digit = this.tagData[i]! - 0x30;
      if (digit < 0 || digit > 9 || value > 1e15) return Number.NaN;
      value = value * 10 + digit;
    }
    return value;
  }

  /** An attribute of a few ASCII letters (`t="s"`), made once and then reused; undefined when absent. */
  attributeToken(name: string): string | undefined {
    const start = this.findAttribute(name);
    return start < 0 ? undefined : this.intern(this.tagData, start, this.valueEnd);
  }

  /** The bytes of the tag being told to the handler, and where an attribute's value is in them (-1: absent; it ends at `valueEnd`). */
  get tagBytes(): Buffer {
    return this.tagData;
  }

  /** Where the value of the attribute `name` starts in {@link tagBytes} (-1 when absent); {@link valueEnd} is where it ends. */
  findAttribute(name: string): number {
    const data = this.tagData;
    const end = this.tagEnd;
    let byLocalName = -1;
    let byLocalNameEnd = -1;
    for (let at = skipName(data, this.tagStart, end); at < end; ) {
      at = skipSpace(data, at, end);
      const nameStart = at;
      while (at < end && data[at] !== 0x3d && !isSpace(data[at]!)) at++;
      const nameEnd = at;
      at = skipSpace(data, at, end);
      if (data[at] !== 0x3d) break;
      at = skipSpace(data, at + 1, end);
      const quote = data[at];
      if (quote !== QUOTE && quote !== APOSTROPHE) break;
      const valueEnd = data.indexOf(quote, at + 1);
      if (valueEnd < 0 || valueEnd > end) break;
      if (sameText(name, data, nameStart, nameEnd)) {
        this.valueEnd = valueEnd;
        return at + 1;
      }
      if (byLocalName < 0 && isLocalNameOf(name, data, nameStart, nameEnd)) {
        byLocalName = at + 1;
        byLocalNameEnd = valueEnd;
      }
      at = valueEnd + 1;
    }
    this.valueEnd = byLocalNameEnd;
    return byLocalName;
  }

  /** Text from `at` to the next tag, handed over if wanted: where the tag starts, or -1 when the text goes on past these bytes. */
  private readText(data: Buffer, at: number): number {
    const lt = data.indexOf(LT, at);
    const end = lt < 0 ? data.length : lt;
    if (!this.handler.wantsText) return lt;
    const safe = lt < 0 ? safeTextEnd(data, at, end) : end;
    if (safe > at) this.handler.text(decodeText(data, at, safe));
    if (lt < 0 && safe < end) this.carry = Buffer.from(data.subarray(safe));
    return lt;
  }

  /** Just past the markup that starts at `at` (a tag, comment, instruction or CDATA section), or -1 when it ends later. */
  private markupEnd(data: Buffer, at: number): number {
    const second = data[at + 1];
    if (second === undefined) return -1;
    if (second === QUESTION) return endAfter(data, at + 2, "?>");
    if (second === BANG) {
      if (startsWith(data, at, "<!--")) return endAfter(data, at + 4, "-->");
      if (startsWith(data, at, "<![CDATA[")) return endAfter(data, at + 9, "]]>");
      if (data.length - at < 9) return -1;
      throw new Error(`${this.part} has a DOCTYPE or other declaration, which a workbook never has`);
    }
    // A tag ends at the first ">" outside quotes (an attribute's value may hold one).
    let quote = 0;
    for (let i = at + 1; i < data.length; i++) {
      const byte = data[i]!;
      if (quote !== 0) {
        if (byte === quote) quote = 0;
      } else if (byte === QUOTE || byte === APOSTROPHE) quote = byte;
      else if (byte === GT) return i + 1;
    }
    return -1;
  }

  private checkMarkupLength(length: number): void {
    if (length > this.markupLimit) throw new WorkbookLimitError(`${this.part} has a tag (or comment) longer than the limit of ${sizeText(this.markupLimit, "bytes")}`);
  }

  /** Tells the handler about the markup in [start, end). */
  private markup(data: Buffer, start: number, end: number): void {
    const second = data[start + 1];
    if (second === QUESTION) return;
    if (second === BANG) {
      if (data[start + 2] === 0x5b && this.handler.wantsText) this.handler.text(data.toString("utf8", start + 9, end - 3));
      return;
    }
    if (second === SLASH) {
      this.handler.close(this.localName(data, start + 2, end - 1));
      return;
    }
    const selfClosing = data[end - 2] === SLASH;
    this.tagData = data;
    this.tagStart = start + 1;
    this.tagEnd = selfClosing ? end - 2 : end - 1;
    const name = this.localName(data, start + 1, end - 1);
    this.handler.open(name);
    if (selfClosing) this.handler.close(name);
  }

  /** The element's name without its prefix, read from `from` to the first space, `/` or `>`. */
  private localName(data: Buffer, from: number, end: number): string {
    let to = from;
    let hash = 0;
    while (to < end) {
      const byte = data[to]!;
      if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === SLASH || byte === GT) break;
      if (byte === 0x3a) {
        from = to + 1;
        hash = 0;
      } else hash = (Math.imul(hash, 31) + byte) | 0;
      to++;
    }
    return this.intern(data, from, to, hash);
  }

  /** Bytes [from, to) as text, made once for each different text (up to a thousand of them) and then reused. */
  private intern(data: Buffer, from: number, to: number, hash = hashOf(data, from, to)): string {
    const known = this.names.get(hash);
    if (known !== undefined && sameText(known, data, from, to)) return known;
    const text = data.toString("latin1", from, to);
    if (this.names.size < 1024) this.names.set(hash, text);
    return text;
  }
}

function hashOf(data: Buffer, from: number, to: number): number {
  let hash = 0;
  for (let i = from; i < to; i++) hash = (Math.imul(hash, 31) + data[i]!) | 0;
  return hash;
}

function sameText(text: string, data: Buffer, from: number, to: number): boolean {
  if (text.length !== to - from) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== data[from + i]) return false;
  return true;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function skipSpace(data: Buffer, at: number, end: number): number {
  while (at < end && isSpace(data[at]!)) at++;
  return at;
}

/** Just past the element's name at the start of a tag. */
function skipName(data: Buffer, at: number, end: number): number {
  while (at < end && !isSpace(data[at]!)) at++;
  return at;
}

/** Whether bytes [from, to) are `prefix:name` (and not a namespace declaration, `xmlns:name`). */
function isLocalNameOf(name: string, data: Buffer, from: number, to: number): boolean {
  const colon = to - name.length - 1;
  return colon > from && data[colon] === 0x3a && sameText(name, data, colon + 1, to) && !sameText("xmlns", data, from, colon);
}


/** Where text cut by the end of the bytes can be cut safely: not inside a character or an entity. */
function safeTextEnd(data: Buffer, from: number, end: number): number {
  let safe = end;
  const ampersand = data.lastIndexOf(AMPERSAND, end - 1);
  if (ampersand >= from && ampersand >= end - LONGEST_ENTITY && data.indexOf(SEMICOLON, ampersand) < 0) safe = ampersand;
  // Back over the bytes of a character cut short (a lead byte 11xxxxxx and fewer followers than it needs).
  for (let back = 1; back <= 3 && safe - back >= from; back++) {
    const byte = data[safe - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte >= 0xc0 && back < (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2)) safe -= back;
    break;
  }
  return safe;
}

function decodeText(data: Buffer, from: number, to: number): string {
  return decodeEntities(data.toString("utf8", from, to));
}

const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** The five XML entities and character references decoded; anything else left as written. */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (whole, hex: string | undefined, decimal: string | undefined, named: string | undefined) => {
    if (named !== undefined) return NAMED[named]!;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function startsWith(data: Buffer, at: number, text: string): boolean {
  if (data.length - at < text.length) return false;
  for (let i = 0; i < text.length; i++) if (data[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Just past the first `close` at or after `from`, or -1. */
function endAfter(data: Buffer, from: number, close: string): number {
  const found = data.indexOf(close, from, "latin1");
  return found < 0 ? -1 : found + close.length;
}
