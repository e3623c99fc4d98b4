import { FileRejectedError } from "../errors.ts";
import { firstInvalidUtf8Byte } from "../csv/utf8.ts";

/** The text encodings exports come in. */
export const TEXT_ENCODINGS = ["utf-8", "utf-16le", "utf-16be", "windows-1252"] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

/**
 * Decodes an export's bytes to text as they stream in. A byte-order mark decides (UTF-8,
 * UTF-16 LE or BE, and is dropped); without one the declared encoding is used, UTF-8 by
 * default. UTF-8 is strict: bytes that are not UTF-8 reject the file, naming the offset and
 * how to declare Windows-1252 instead, rather than turning into replacement characters.
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  declared: TextEncodingName | "auto",
  detected: (encoding: TextEncodingName) => void,
): AsyncGenerator<string> {
  let decode: ((bytes: Uint8Array, final: boolean) => string) | undefined;
  let head: Uint8Array = new Uint8Array(0);
  let offset = 0;
  for await (const chunk of chunks) {
    let bytes = chunk;
    if (decode === undefined) {
      head = concat(head, chunk);
      if (head.length < 3) continue;
      const encoding = sniff(head) ?? (declared === "auto" ? "utf-8" : declared);
      detected(encoding);
      decode = decoderFor(encoding, file, () => offset);
      bytes = head;
    }
    const text = decode(bytes, false);
    offset += bytes.length;
    if (text.length > 0) yield text;
  }
  if (decode === undefined) {
    if (head.length === 0) return;
    const encoding = sniff(head) ?? (declared === "auto" ? "utf-8" : declared);
    detected(encoding);
    decode = decoderFor(encoding, file, () => offset);
    const text = decode(head, true);
    if (text.length > 0) yield text;
    return;
  }
  const rest = decode(new Uint8Array(0), true);
  if (rest.length > 0) yield rest;
}

/** The encoding a file's first bytes and the source's setting give: its byte-order mark decides, else the setting (UTF-8 for "auto"). */
export function textEncodingOf(head: Uint8Array, declared: TextEncodingName | "auto"): TextEncodingName {
  return sniff(head) ?? (declared === "auto" ? "utf-8" : declared);
}

/** The message for bytes that are not UTF-8 (`byte` undefined: the file ends part-way through a character). */
export function notUtf8Message(byte: number | undefined, offset: number): string {
  const where = byte !== undefined ? ` (byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} at byte offset ${offset})` : ": the file ends part-way through a character";
  return `not UTF-8 text${where}: export the file as "CSV UTF-8", or declare its encoding in the cycle file (source.encoding: "windows-1252")`;
}

function sniff(head: Uint8Array): TextEncodingName | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return undefined;
}

function decoderFor(encoding: TextEncodingName, file: string, offset: () => number): (bytes: Uint8Array, final: boolean) => string {
  if (encoding === "windows-1252") return (bytes) => decodeWindows1252(bytes);
  // Strips a leading BOM; `fatal` refuses malformed bytes instead of replacing them.
  const decoder = new TextDecoder(encoding, { fatal: true });
  return (bytes, final) => {
    try {
      return decoder.decode(bytes, { stream: !final });
    } catch (error) {
      if (encoding !== "utf-8") throw new FileRejectedError(file, `not ${encoding.toUpperCase()} text: the file ends part-way through a character or holds an unpaired surrogate`, { cause: error });
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
