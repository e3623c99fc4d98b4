import { FileRejectedError } from "../errors.ts";
import { firstInvalidUtf8Byte, REPLACEMENT_CHARACTER } from "../csv/utf8.ts";

/** The text encodings exports come in. */
export const TEXT_ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "windows-1252"] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/** How many bytes from the front of a file its encoding is judged on (a byte-order mark, or UTF-16's zero bytes). */
export const ENCODING_SNIFF_BYTES = 4096;

/** What to say about the cycle file's `encoding` setting when a file does not read as text. */
export const ENCODING_SETTING = 'declare its encoding in the cycle file: the group\'s "source": { "encoding": … }, one of "utf-8", "utf-16le", "utf-16be" or "windows-1252"';

/**
 * Decodes an export's bytes to text as they stream in, in the encoding {@link textEncodingOf}
 * gives for its first bytes (a byte-order mark is dropped). Strict unless `onUndecodable` is
 * given: bytes that are not valid in the encoding reject the file, naming the offset and how to
 * declare Windows-1252 instead, rather than turning into replacement characters. With
 * `onUndecodable`, they are read as U+FFFD and it is called for each piece of text holding any.
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  declared: TextEncodingName | "auto",
  detected: (encoding: TextEncodingName) => void,
  onUndecodable?: () => void,
): AsyncGenerator<string> {
  let decode: ((bytes: Uint8Array, final: boolean) => string) | undefined;
  let head: Uint8Array = new Uint8Array(0);
  let offset = 0;
  const start = () => {
    const encoding = textEncodingOf(head, declared);
    detected(encoding);
    return decoderFor(encoding, file, () => offset, onUndecodable);
  };
  for await (const chunk of chunks) {
    let bytes = chunk;
    if (decode === undefined) {
      head = concat(head, chunk);
      if (head.length < ENCODING_SNIFF_BYTES) continue;
      decode = start();
      bytes = head;
    }
    const text = decode(bytes, false);
    offset += bytes.length;
    if (text.length > 0) yield text;
  }
  if (decode === undefined) {
    if (head.length === 0) return;
    decode = start();
    const text = decode(head, true);
    if (text.length > 0) yield text;
    return;
  }
  const rest = decode(new Uint8Array(0), true);
  if (rest.length > 0) yield rest;
}

/**
 * The encoding a file's first bytes (up to {@link ENCODING_SNIFF_BYTES}) and the source's setting
 * give: a byte-order mark decides; else UTF-16's zero bytes (Latin text in UTF-16 has a zero in
 * every other byte, which no 8-bit text has: Excel's "Unicode Text" writes it, sometimes without
 * a mark); else the setting (UTF-8 for "auto").
 *
 * @example textEncodingOf(Buffer.from("id\tQ1\r\n", "utf16le"), "auto") // "utf-16le"
 */
export function textEncodingOf(head: Uint8Array, declared: TextEncodingName | "auto"): TextEncodingName {
  return byteOrderMark(head) ?? utf16ByZeroBytes(head) ?? (declared === "auto" ? "utf-8" : declared);
}

/** The message for bytes that are not UTF-8 (`byte` undefined: the file ends part-way through a character). */
export function notUtf8Message(byte: number | undefined, offset: number): string {
  const where = byte !== undefined ? ` (byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} at byte offset ${offset})` : ": the file ends part-way through a character";
  return `not UTF-8 text${where}: export the file as "CSV UTF-8", or declare its encoding in the cycle file (source.encoding: "windows-1252")`;
}

/** The message for bytes that are not valid in `encoding`: the first such byte, when known, and the setting. */
export function notDecodableMessage(encoding: TextEncodingName, first: { byte: number; offset: number } | undefined): string {
  if (encoding === "utf-8") return notUtf8Message(first?.byte, first?.offset ?? 0);
  return `not ${encoding.toUpperCase()} text (an unpaired surrogate, or the file ends part-way through a character): ${ENCODING_SETTING}`;
}

function byteOrderMark(head: Uint8Array): TextEncodingName | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return undefined;
}

/**
 * UTF-16 without a byte-order mark, told by where its zero bytes fall: in Latin text each
 * character's high byte is zero (second in LE, first in BE) and its low byte almost never is.
 * At least a fifth of the pairs must have the zero on one side and at most a tenth as many on
 * the other, so a stray NUL in 8-bit text never counts.
 */
function utf16ByZeroBytes(head: Uint8Array): TextEncodingName | undefined {
  const pairs = Math.min(head.length, ENCODING_SNIFF_BYTES) >> 1;
  if (pairs < 2) return undefined;
  let first = 0;
  let second = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) first++;
    if (head[2 * i + 1] === 0) second++;
  }
  if (second >= pairs / 5 && first * 10 <= second) return "utf-16le";
  if (first >= pairs / 5 && second * 10 <= first) return "utf-16be";
  return undefined;
}

function decoderFor(
  encoding: TextEncodingName,
  file: string,
  offset: () => number,
  onUndecodable: (() => void) | undefined,
): (bytes: Uint8Array, final: boolean) => string {
  if (encoding === "windows-1252") return (bytes) => decodeWindows1252(bytes);
  if (onUndecodable !== undefined) {
    // Strips a leading BOM; malformed bytes become U+FFFD, and the reader is told.
    const lenient = new TextDecoder(encoding);
    return (bytes, final) => {
      const text = lenient.decode(bytes, { stream: !final });
      if (text.includes(REPLACEMENT_CHARACTER)) onUndecodable();
      return text;
    };
  }
  // Strips a leading BOM; `fatal` refuses malformed bytes instead of replacing them.
  const decoder = new TextDecoder(encoding, { fatal: true });
  return (bytes, final) => {
    try {
      return decoder.decode(bytes, { stream: !final });
    } catch (error) {
      if (encoding !== "utf-8") throw new FileRejectedError(file, notDecodableMessage(encoding, undefined), { cause: error });
      const at = firstInvalidUtf8Byte(bytes);
      throw new FileRejectedError(file, notUtf8Message(at >= 0 ? bytes[at] : undefined, offset() + at), { cause: error });
    }
  };
}

/** Windows-1252's 0x80-0x9F (curly quotes, dashes, €), which Node's decoder reads as Latin-1 controls. */
export const WINDOWS_1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
  let hasHigh = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80 && byte <= 0x9f) {
      hasHigh = true;
      break;
    }
  }
  if (!hasHigh) return latin1;
  return latin1.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
