import { type ConsoleResponse, respond } from "./consoleHttp.ts";
import { html } from "./html.ts";
import { layout } from "./layout.ts";
import type { Session } from "./session.ts";

const TITLES: Record<number, string> = {
  400: "The request was not understood",
  403: "You cannot do that",
  404: "Page not found",
  405: "Not allowed",
  500: "Sorry, there is a problem with the console",
};

/** An error page with its status, in words a person can act on (never a stack trace). */
export function errorPage(status: number, message: string, session: Session): ConsoleResponse {
  const title = TITLES[status] ?? "Something went wrong";
  const main = html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${message}</p><p class="govuk-body"><a class="govuk-link" href="/cycles">Go to the cycles</a></p>`;
  return respond(status, { "content-type": "text/html; charset=utf-8" }, layout({ title, session, main }));
}
