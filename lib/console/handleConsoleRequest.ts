import { type ConsoleRequest, type ConsoleResponse, redirect, respond } from "./consoleHttp.ts";
import type { ConsoleDeps } from "./consoleDeps.ts";
import { ROUTES, knownErrorPage } from "./consoleRoutes.ts";
import { errorPage } from "./errorPage.ts";
import type { Role } from "./roles.ts";
import { hasCsrfToken, sessionCookieValue } from "./requestInput.ts";
import { securityHeaders } from "./securityHeaders.ts";
import { type Session, clearedSessionCookie, newSession, sessionCookie, verifySession } from "./session.ts";
import { staticAsset } from "./staticAssets.ts";

/**
 * The console: server-rendered pages behind sign-in, one request at a time.
 * - Every response carries the CSP (no script at all) and is not cached unless it is a stylesheet.
 * - Every POST must carry the session's CSRF token, and every page and POST is allowed only to the
 *   roles its route names (a report author's POST is refused with 403).
 * - No personal data goes in a URL: who signed in lives in the signed, HttpOnly cookie.
 */
export async function handleConsoleRequest(request: ConsoleRequest, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const response = await answer(request, deps);
  response.headers = { "cache-control": "no-store", ...response.headers, ...securityHeaders(deps.authenticator.providerOrigin) };
  return response;
}

async function answer(request: ConsoleRequest, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const method = request.method.toUpperCase();
  if (method === "GET" && request.path.startsWith("/assets/")) {
    const asset = await staticAsset(request.path);
    return asset ? respond(200, { "content-type": asset.type, "cache-control": "public, max-age=3600" }, asset.body) : respond(404, { "content-type": "text/plain" }, "not found");
  }
  const cookie = sessionCookieValue(request);
  const existing = cookie === undefined ? undefined : verifySession(cookie, deps.sessionKey, deps.now());
  const session = existing ?? newSession(deps.now());
  const response = await withSession(method, request, session, deps);
  // A new (anonymous) session is sent once, so the sign-in form's token matches the cookie.
  if (existing === undefined && response.cookies.length === 0) response.cookies.push(sessionCookie(session, deps.sessionKey));
  return response;
}

async function withSession(method: string, request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  if (method === "POST" && !(await hasCsrfToken(request, session.csrf))) {
    return errorPage(403, "The form had expired or did not come from this console. Go back, reload the page and try again.", session);
  }
  if (request.path === "/sign-in" || request.path === "/sign-in/callback") return signIn(method, request, session, deps);
  if (request.path === "/sign-out" && method === "POST") return signOut(deps);
  if (session.role === undefined) return method === "GET" ? redirect("/sign-in") : errorPage(403, "Sign in first.", session);
  if (request.path === "/" && method === "GET") return redirect("/cycles");
  return routed(method, request, session, session.role, deps);
}

/** `GET /sign-in` starts; the form's POST, or the identity provider's `GET /sign-in/callback` (its `state` checked by the authenticator), completes. */
async function signIn(method: string, request: ConsoleRequest, session: Session, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const callback = request.path === "/sign-in/callback";
  if (method === "GET" && !callback) return session.role === undefined ? deps.authenticator.start({ csrf: session.csrf }) : redirect("/cycles");
  if (method !== (callback ? "GET" : "POST")) return errorPage(405, "Use the sign-in form.", session);
  const outcome = await deps.authenticator.complete(request);
  if (!outcome.ok) return deps.authenticator.start({ csrf: session.csrf, error: { field: outcome.field, message: outcome.message } });
  // A new session (and CSRF token) on signing in, so a token seen before cannot be replayed after.
  const signedIn = newSession(deps.now(), { role: outcome.role, subject: outcome.subject });
  const response = redirect("/cycles");
  response.cookies.push(sessionCookie(signedIn, deps.sessionKey));
  return response;
}

function signOut(deps: ConsoleDeps): ConsoleResponse {
  // The identity provider's own session ends too (Cognito's logout endpoint), else signing in again would not ask.
  const response = redirect(deps.authenticator.signOutLocation?.() ?? "/sign-in");
  response.cookies.push(clearedSessionCookie());
  return response;
}

async function routed(method: string, request: ConsoleRequest, session: Session, role: Role, deps: ConsoleDeps): Promise<ConsoleResponse> {
  const matching = ROUTES.filter((route) => route.pattern.test(request.path));
  const route = matching.find((candidate) => candidate.method === method);
  if (route === undefined) return matching.length > 0 ? errorPage(405, "That page cannot be used that way.", session) : errorPage(404, "There is no such page.", session);
  if (!route.roles.includes(role)) return errorPage(403, "Your role can read and download results, not change them.", session);
  try {
    return await route.handle(route.pattern.exec(request.path)!.slice(1).map(decodeURIComponent), request, session, deps);
  } catch (error) {
    if (error instanceof URIError) return errorPage(400, "The address is not valid.", session);
    const known = knownErrorPage(error, session);
    if (known) return known;
    deps.log.error("console request failed", { method, path: request.path, error: String(error) });
    return errorPage(500, "The request could not be completed; it has been logged.", session);
  }
}
