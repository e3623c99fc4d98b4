import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { JwtVerifier } from "aws-jwt-verify/jwt-verifier";
import { z } from "zod";
import type { Authenticator, SignInOutcome } from "./authenticator.ts";
import { type ConsoleRequest, type ConsoleResponse, respond } from "./consoleHttp.ts";
import { html } from "./html.ts";
import { layout } from "./layout.ts";
import { type Role, roleSchema } from "./roles.ts";

/** Where a deployment's Cognito user pool and app client are, and what signs the sign-in cookie. */
export interface CognitoSettings {
  /** The managed login's base URL: `https://{prefix}.auth.{region}.amazoncognito.com` (authorize, token and logout endpoints). */
  domainUrl: string;
  clientId: string;
  /** The confidential app client's secret: the token endpoint is called with HTTP Basic authentication. */
  clientSecret: string;
  /** The ID token's issuer: {@link cognitoIssuer} of the user pool. */
  issuer: string;
  /** The JSON Web Key Set; by default `{issuer}/.well-known/jwks.json`. */
  jwksUri?: string;
  /** The console's own URL, ending in "/" (the callback is `{consoleUrl}sign-in/callback`). */
  consoleUrl: string;
  /** Signs the short-lived sign-in cookie that holds `state` and the PKCE verifier (the session key). */
  key: Uint8Array;
  now?: () => Date;
}

/** The issuer of a user pool's tokens, from its id (`eu-west-2_AbC123`: the region comes first). */
export function cognitoIssuer(userPoolId: string): string {
  const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/).parse(userPoolId).split("_")[0]!;
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** The cookie that carries one sign-in from its start to the callback, only on /sign-in paths, for ten minutes. */
export const SIGN_IN_COOKIE = "asye_sign_in";
const SIGN_IN_SECONDS = 600;
const pendingSchema = z.object({ state: z.string().min(32).max(64), verifier: z.string().min(43).max(128), expires: z.number().int() });
const callbackSchema = z.union([
  z.object({ code: z.string().min(1).max(2048), state: z.string().max(256) }),
  z.object({ error: z.string().max(200), error_description: z.string().max(500).optional() }),
]);
const tokenResponseSchema = z.object({ id_token: z.string().max(16_384) });
const groupsSchema = z.array(z.string()).catch([]);

/** Why a sign-in was refused; the field says which page to show (403 for a person with no role, else 400). */
const REFUSALS = {
  state: "The sign-in had expired or did not start in this browser. Sign in again.",
  provider: "The sign-in service did not sign you in. Sign in again.",
  token: "Your sign-in could not be confirmed. Sign in again.",
  role: "Your account has no role in this console. Ask the survey team to add you to the survey team or report author group.",
} as const;

/**
 * Sign-in through a Cognito user pool's managed login (OAuth 2.0 authorization code with PKCE and
 * state). `start` redirects there; Cognito sends the browser back to `GET /sign-in/callback` with
 * a code, which `complete` exchanges at the token endpoint for an ID token. The token is verified
 * with AWS's aws-jwt-verify (signature against the pool's JWKS, issuer, audience = this client,
 * expiry, `token_use` = id) and its `cognito:groups` give the role: `survey-team` before
 * `report-author`; no group, no entry.
 */
export class CognitoAuthenticator implements Authenticator {
  readonly providerOrigin: string;
  private readonly verifier;

  constructor(
    private readonly settings: CognitoSettings,
    /** Fetches the JWKS (tests pass one for their local server); by default Node's fetch. */
    fetcher: Fetcher = new HttpFetcher(),
  ) {
    this.providerOrigin = new URL(settings.domainUrl).origin;
    const clientId = settings.clientId;
    this.verifier = JwtVerifier.create(
      {
        issuer: settings.issuer,
        audience: clientId,
        jwksUri: settings.jwksUri ?? `${settings.issuer}/.well-known/jwks.json`,
        customJwtCheck: ({ payload }) => {
          if (typeof payload.exp !== "number") throw new Error("the ID token has no expiry");
          validateCognitoJwtFields(payload, { tokenUse: "id", clientId });
        },
      },
      { jwksCache: new SimpleJwksCache({ fetcher }) },
    );
  }

  start(context: Parameters<Authenticator["start"]>[0]): ConsoleResponse {
    if (context.error !== undefined) return refusedPage(context.error.field, context.error.message, context.csrf);
    const pending = { state: randomBytes(24).toString("base64url"), verifier: randomBytes(48).toString("base64url"), expires: this.nowSeconds() + SIGN_IN_SECONDS };
    const query = new URLSearchParams({
      response_type: "code",
      client_id: this.settings.clientId,
      redirect_uri: this.callbackUrl(),
      scope: "openid email",
      state: pending.state,
      code_challenge: createHash("sha256").update(pending.verifier).digest("base64url"),
      code_challenge_method: "S256",
    });
    const response = respond(303, { location: `${this.settings.domainUrl}/oauth2/authorize?${query}` });
    response.cookies.push(`${SIGN_IN_COOKIE}=${this.sign(pending)}; Path=/sign-in; HttpOnly; Secure; SameSite=Lax; Max-Age=${SIGN_IN_SECONDS}`);
    return response;
  }

  async complete(request: ConsoleRequest): Promise<SignInOutcome> {
    const callback = callbackSchema.safeParse(Object.fromEntries(new URLSearchParams(request.query ?? "")));
    if (!callback.success) return refusal("state");
    if ("error" in callback.data) return refusal("provider");
    const pending = this.pendingSignIn(request);
    if (pending === undefined || !sameText(pending.state, callback.data.state)) return refusal("state");
    const idToken = await this.exchange(callback.data.code, pending.verifier);
    if (idToken === undefined) return refusal("token");
    let payload: Record<string, unknown>;
    try {
      payload = await this.verifier.verify(idToken);
    } catch {
      return refusal("token");
    }
    const role = roleOf(groupsSchema.parse(payload["cognito:groups"]));
    if (role === undefined || typeof payload.sub !== "string") return refusal("role");
    return { ok: true, role, subject: payload.sub.slice(0, 200) };
  }

  signOutLocation(): string {
    const query = new URLSearchParams({ client_id: this.settings.clientId, logout_uri: `${this.settings.consoleUrl}sign-in` });
    return `${this.settings.domainUrl}/logout?${query}`;
  }

  /** The code exchanged at the token endpoint (with the PKCE verifier and the client's secret); undefined when refused. */
  private async exchange(code: string, verifier: string): Promise<string | undefined> {
    const credentials = Buffer.from(`${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`).toString("base64");
    try {
      const response = await fetch(`${this.settings.domainUrl}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${credentials}` },
        body: new URLSearchParams({ grant_type: "authorization_code", client_id: this.settings.clientId, code, redirect_uri: this.callbackUrl(), code_verifier: verifier }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) return undefined;
      const tokens = tokenResponseSchema.safeParse(await response.json());
      return tokens.success ? tokens.data.id_token : undefined;
    } catch {
      return undefined;
    }
  }

  private pendingSignIn(request: ConsoleRequest): z.infer<typeof pendingSchema> | undefined {
    const value = (request.headers.cookie ?? "").split(";").map((part) => part.trim()).find((part) => part.startsWith(`${SIGN_IN_COOKIE}=`))?.slice(SIGN_IN_COOKIE.length + 1);
    const [payload, signature] = (value ?? "").split(".");
    if (!payload || !signature || !sameText(signature, this.mac(payload))) return undefined;
    try {
      const pending = pendingSchema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
      return pending.success && pending.data.expires > this.nowSeconds() ? pending.data : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(pending: z.infer<typeof pendingSchema>): string {
    const payload = Buffer.from(JSON.stringify(pending)).toString("base64url");
    return `${payload}.${this.mac(payload)}`;
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.settings.key).update(`${SIGN_IN_COOKIE}:${payload}`).digest("base64url");
  }

  private callbackUrl(): string {
    return `${this.settings.consoleUrl}sign-in/callback`;
  }

  private nowSeconds(): number {
    return Math.floor((this.settings.now?.() ?? new Date()).getTime() / 1000);
  }
}

/** The role of a user pool member: the survey team's when in both groups; undefined when in neither. */
export function roleOf(groups: readonly string[]): Role | undefined {
  return roleSchema.options.find((role) => groups.includes(role));
}

function refusal(field: keyof typeof REFUSALS): SignInOutcome {
  return { ok: false, field, message: REFUSALS[field] };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function refusedPage(field: string, message: string, csrf: string): ConsoleResponse {
  const title = field === "role" ? "You cannot use this console" : "You are not signed in";
  const main = html`<h1 class="govuk-heading-l">${title}</h1>
<p class="govuk-body">${message}</p>
<p class="govuk-body"><a class="govuk-link" href="/sign-in">Sign in again</a></p>`;
  return respond(field === "role" ? 403 : 400, { "content-type": "text/html; charset=utf-8" }, layout({ title, session: { csrf, expires: 1 }, main }));
}

/** Fetches the JWKS with Node's fetch (https in AWS; the tests' local issuer is plain http), with a timeout and a size cap. */
export class HttpFetcher implements Fetcher {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`the key set at ${uri} answered ${response.status}`);
    const body = await response.arrayBuffer();
    if (body.byteLength > 65_536) throw new Error(`the key set at ${uri} is too large`);
    return body;
  }
}
