import type { ConsoleRequest, ConsoleResponse } from "./consoleHttp.ts";
import type { Role } from "./roles.ts";

/** The outcome of a sign-in: who signed in with which role, or what to tell them beside the field. */
export type SignInOutcome = { ok: true; role: Role; subject: string } | { ok: false; field: string; message: string };

/**
 * How people sign in (the port). The console keeps its own signed session cookie either way;
 * an authenticator only says who someone is and with which role.
 * - Locally: {@link DevAuthenticator}, a form with the two roles and no password.
 * - In AWS: a Cognito user pool (see docs/operators.md): `start` redirects to its hosted sign-in
 *   with the session's CSRF token as `state`, and `complete` exchanges the code on
 *   `GET /sign-in/callback` and reads the role from the user's group.
 */
export interface Authenticator {
  /** Begins signing in: the sign-in page, or a redirect to the identity provider. */
  start(context: { csrf: string; error?: { field: string; message: string } }): ConsoleResponse;
  /** Completes signing in from the request the page or the provider sent back (a form's CSRF token already checked; a provider's `state` is the authenticator's to check). */
  complete(request: ConsoleRequest): Promise<SignInOutcome>;
  /** Where the browser goes once signed out (the provider's logout endpoint); `/sign-in` when absent. */
  signOutLocation?(): string;
  /** The provider's origin, which the CSP allows as a form's destination (signing out posts a form that ends there). */
  readonly providerOrigin?: string;
}
