import { type ConsoleRequest, isMultipart } from "./consoleHttp.ts";

const parsed = new WeakMap<ConsoleRequest, Promise<FormData | undefined>>();

/**
 * A multipart/form-data body (a form with a file) as its fields and files, read once per request
 * by the runtime's own parser (undici's `Response.formData`); undefined when the request is not
 * multipart or its body is malformed. The body is Latin-1 text, one character per byte (see
 * {@link ConsoleRequest.body}), so a file's bytes come back whole.
 */
export function readMultipart(request: ConsoleRequest): Promise<FormData | undefined> {
  if (!isMultipart(request.headers)) return Promise.resolve(undefined);
  let form = parsed.get(request);
  if (form === undefined) {
    const body = Buffer.from(request.body, "latin1");
    form = new Response(body, { headers: { "content-type": request.headers["content-type"]! } }).formData().catch(() => undefined);
    parsed.set(request, form);
  }
  return form;
}

/** A text field of a multipart form, or undefined when it is missing or a file. */
export function textField(form: FormData | undefined, name: string): string | undefined {
  const value = form?.get(name);
  return typeof value === "string" ? value : undefined;
}
