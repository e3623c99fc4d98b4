import { expect } from "vitest";

/** A console form's fields: url-encoded (a value or several per name), or multipart (with files). */
export type ConsoleForm = Record<string, string | string[]> | FormData;

/** The CSRF token in a console page's forms. */
export function csrfOf(page: string): string {
  return /name="csrf" value="([^"]+)"/.exec(page)![1]!;
}

/**
 * A person's browser without the browser, for the console's tests: keeps the session cookie,
 * follows no redirects, posts url-encoded forms or multipart ones (a form with a file).
 */
export class ConsoleVisitor {
  cookie = "";

  /** `origin` gives the console's address (its server starts after the visitor is made). */
  constructor(private readonly origin: () => string) {}

  /** A request with the session's cookie; the console's new cookie, if it sets one, is kept. */
  async request(method: "GET" | "POST", path: string, body?: ConsoleForm): Promise<Response> {
    const form = body === undefined || body instanceof FormData ? undefined : new URLSearchParams(Object.entries(body).flatMap(([name, values]) => [values].flat().map((value): [string, string] => [name, value])));
    const response = await fetch(new URL(path, this.origin()), {
      method,
      redirect: "manual",
      headers: { cookie: this.cookie, ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      ...(body === undefined ? {} : { body: form?.toString() ?? (body as FormData) }),
    });
    const set = response.headers.getSetCookie().find((value) => value.startsWith("asye_console="));
    if (set !== undefined) this.cookie = set.split(";")[0]!;
    return response;
  }

  /** A page's HTML. */
  async page(path: string): Promise<string> {
    return (await this.request("GET", path)).text();
  }

  /** Signs in with the development sign-in as `role`; the session's CSRF token. */
  async signIn(role: "survey-team" | "report-author"): Promise<string> {
    const page = await this.page("/sign-in");
    const signedIn = await this.request("POST", "/sign-in", { csrf: csrfOf(page), role });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/cycles");
    return csrfOf(await this.page("/cycles"));
  }
}
