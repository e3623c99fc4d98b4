import { z } from "zod";
import type { Authenticator, SignInOutcome } from "./authenticator.ts";
import { respond } from "./consoleHttp.ts";
import { errorSummary } from "./errorSummary.ts";
import { html } from "./html.ts";
import { layout } from "./layout.ts";
import { readForm } from "./requestInput.ts";
import { ROLE_NAMES, roleSchema } from "./roles.ts";

const signInFormSchema = z.object({ csrf: z.string(), role: roleSchema });

/**
 * The development sign-in (local runtime and tests only): choose a role, no password. Never
 * wired in AWS, where the console's function takes the Cognito authenticator.
 */
export class DevAuthenticator implements Authenticator {
  start(context: Parameters<Authenticator["start"]>[0]) {
    const errors = context.error ? [context.error] : [];
    const main = html`${errorSummary(errors)}
<h1 class="govuk-heading-l">Sign in</h1>
<p class="govuk-body">This is the development sign-in of the local runtime: choose a role. In AWS people sign in with their own account.</p>
<form method="post" action="/sign-in" novalidate>
<input type="hidden" name="csrf" value="${context.csrf}">
<div class="govuk-form-group${errors.length > 0 ? " govuk-form-group--error" : ""}">
<fieldset class="govuk-fieldset"${errors.length > 0 ? html` aria-describedby="role-error"` : ""}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Sign in as</legend>
${errors.map((error) => html`<p id="role-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error.message}</p>`)}
<div class="govuk-radios" data-module="govuk-radios">
${roleSchema.options.map(
  (role, index) => html`<div class="govuk-radios__item">
<input class="govuk-radios__input" id="${index === 0 ? "role" : `role-${role}`}" name="role" type="radio" value="${role}">
<label class="govuk-label govuk-radios__label" for="${index === 0 ? "role" : `role-${role}`}">${ROLE_NAMES[role]}</label>
</div>`,
)}
</div>
</fieldset>
</div>
<button type="submit" class="govuk-button">Sign in</button>
</form>`;
    return respond(errors.length > 0 ? 400 : 200, { "content-type": "text/html; charset=utf-8" }, layout({ title: "Sign in", session: { csrf: context.csrf, expires: 1 }, main }));
  }

  async complete(request: Parameters<Authenticator["complete"]>[0]): Promise<SignInOutcome> {
    const form = readForm(request, signInFormSchema);
    if (form === undefined) return { ok: false, field: "role", message: "Choose a role to sign in as" };
    return { ok: true, role: form.role, subject: `local ${form.role}` };
  }
}
