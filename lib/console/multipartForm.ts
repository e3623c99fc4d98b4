import busboy from "busboy";
import { z } from "zod";
import { type ConsoleRequest, isMultipart } from "./consoleHttp.ts";

/** The largest cycle file taken through the console (the examples are 15–20 KB; a cycle file is configuration, not data). */
export const CYCLE_FILE_MAX_BYTES = 256 * 1024;

/**
 * The largest export drafted from through the console: 4 MB. Uploads pass through the console's
 * function, and a Lambda function URL takes at most 6 MB of request, base64-encoded (a third
 * larger); bigger exports are drafted with `asye init`, or go through the staged upload.
 */
export const EXPORT_MAX_BYTES = 4 * 1024 * 1024;

/** The largest multipart request read at all: the largest file, and its form's few short fields. */
export const MULTIPART_MAX_BYTES = EXPORT_MAX_BYTES + 64 * 1024;

/** A file sent in a multipart form: its field, its name as the browser gave it, and its bytes (cut at the limit). */
export interface UploadedFile {
  field: string;
  name: string;
  bytes: Buffer;
  /** Whether it was longer than {@link EXPORT_MAX_BYTES} (its bytes are then cut there). */
  tooLarge: boolean;
}

/** A multipart form: its text fields, and its one file when it has one. */
export interface MultipartForm {
  fields: Record<string, string>;
  file: UploadedFile | undefined;
}

const fileNameSchema = z.string().max(255);
const parsed = new WeakMap<ConsoleRequest, Promise<MultipartForm | undefined>>();

/**
 * A multipart request's form, read with busboy (at most one file, ten short fields); undefined
 * when the request is not multipart or its body is malformed or over the limits. Read once per
 * request (the CSRF check at the door and the route share it).
 */
export function readMultipart(request: ConsoleRequest): Promise<MultipartForm | undefined> {
  if (!isMultipart(request.headers) || request.bytes === undefined) return Promise.resolve(undefined);
  let form = parsed.get(request);
  if (form === undefined) {
    form = parse(request.bytes, request.headers["content-type"]!);
    parsed.set(request, form);
  }
  return form;
}

function parse(bytes: Uint8Array, contentType: string): Promise<MultipartForm | undefined> {
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { "content-type": contentType }, limits: { fileSize: EXPORT_MAX_BYTES, files: 1, fields: 10, fieldSize: 1024, parts: 11 } });
    } catch {
      resolve(undefined); // no boundary, or not multipart at all
      return;
    }
    const fields: Record<string, string> = {};
    const files: Promise<UploadedFile | undefined>[] = [];
    let refused = false;
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated || name in fields) refused = true;
      fields[name] = value;
    });
    parser.on("file", (field, stream, info) => files.push(collect(field, stream, info.filename)));
    for (const limit of ["partsLimit", "filesLimit", "fieldsLimit"] as const) parser.on(limit, () => (refused = true));
    parser.on("error", () => resolve(undefined));
    parser.on("close", () => {
      void Promise.all(files).then(([file]) => resolve(refused ? undefined : { fields, file }));
    });
    parser.end(bytes);
  });
}

function collect(field: string, stream: NodeJS.ReadableStream, filename: string | undefined): Promise<UploadedFile | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let tooLarge = false;
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("limit", () => (tooLarge = true));
    stream.on("error", () => resolve(undefined));
    stream.on("end", () => {
      const name = fileNameSchema.safeParse(filename ?? "");
      // A file input left empty sends a part with no name and no bytes: no file.
      const bytes = Buffer.concat(chunks);
      resolve(name.success && (name.data !== "" || bytes.length > 0) ? { field, name: name.data, bytes, tooLarge } : undefined);
    });
  });
}
