import type { Authenticator, SignInOutcome } from "./authenticator.ts";
import { respond } from "./consoleHttp.ts";
import { html } from "./html.ts";
import { layout } from "./layout.ts";

/**
 * The authenticator of a deployment whose identity provider is not built yet (Cognito, see
 * docs/operators.md): it says so and lets nobody in, so a deployed console shows no data.
 */
export class SignInNotSetUp implements Authenticator {
  start(context: Parameters<Authenticator["start"]>[0]) {
    const main = html`<h1 class="govuk-heading-l">Sign-in is not set up</h1>
<p class="govuk-body">This console's sign-in (a Cognito user pool) is not set up yet, so nobody can sign in. Ask the operators.</p>`;
    return respond(503, { "content-type": "text/html; charset=utf-8" }, layout({ title: "Sign-in is not set up", session: { csrf: context.csrf, expires: 1 }, main }));
  }

  async complete(): Promise<SignInOutcome> {
    return { ok: false, field: "role", message: "Sign-in is not set up for this console" };
  }
}
