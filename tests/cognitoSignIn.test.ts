import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CognitoAuthenticator, SIGN_IN_COOKIE, cognitoIssuer, roleOf } from "../lib/console/cognitoAuthenticator.ts";
import type { ConsoleDeps } from "../lib/console/consoleDeps.ts";
import type { ConsoleRequest, ConsoleResponse } from "../lib/console/consoleHttp.ts";
import { handleConsoleRequest } from "../lib/console/handleConsoleRequest.ts";

// A local stand-in for Cognito: its token endpoint (which checks the client's secret, the
// redirect URI and the PKCE verifier as Cognito does) and its JWKS, with a key made here.
const CLIENT_ID = "console-client-id";
const CLIENT_SECRET = "console-client-secret";
const CONSOLE_URL = "https://console.example.test/";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const KID = "test-key-1";
/** Codes the stand-in has issued: each bound to the PKCE challenge of the sign-in it was issued to, and the ID token it gives. */
const codes = new Map<string, { challenge: string; idToken: string }>();
let server: Server;
let base = "";
let issuer = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    void answer(request).then(({ status, body }) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${base}/eu-west-2_TestPool`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
  if (request.method === "GET" && request.url === "/eu-west-2_TestPool/.well-known/jwks.json") {
    return { status: 200, body: { keys: [{ ...publicKey.export({ format: "jwk" }), kid: KID, alg: "RS256", use: "sig" }] } };
  }
  if (request.method !== "POST" || request.url !== "/oauth2/token") return { status: 404, body: {} };
  let text = "";
  for await (const chunk of request) text += String(chunk);
  const form = new URLSearchParams(text);
  const issued = codes.get(form.get("code") ?? "");
  codes.delete(form.get("code") ?? "");
  const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
  if (request.headers.authorization !== basic) return { status: 401, body: { error: "invalid_client" } };
  if (issued === undefined || form.get("grant_type") !== "authorization_code" || form.get("redirect_uri") !== `${CONSOLE_URL}sign-in/callback`) return { status: 400, body: { error: "invalid_grant" } };
  if (createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url") !== issued.challenge) return { status: 400, body: { error: "invalid_grant" } };
  return { status: 200, body: { id_token: issued.idToken, access_token: "unused", token_type: "Bearer", expires_in: 3600 } };
}

/** A signed JWT (RS256) as Cognito writes an ID token, with `claims` changing the good one. */
function idToken(claims: Record<string, unknown> = {}, key: KeyObject = privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: "5e1f-user", iss: issuer, aud: CLIENT_ID, token_use: "id", auth_time: now, iat: now, exp: now + 3600, "cognito:groups": ["survey-team"], ...claims };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
  const signed = `${encode({ alg: "RS256", kid: KID, typ: "JWT" })}.${encode(payload)}`;
  return `${signed}.${sign("sha256", Buffer.from(signed), key).toString("base64url")}`;
}

function authenticator(): CognitoAuthenticator {
  return new CognitoAuthenticator({ domainUrl: base, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, issuer, consoleUrl: CONSOLE_URL, key: randomBytes(32) });
}

/** Starts a sign-in: the redirect's parameters and the sign-in cookie, as the browser holds them. */
function started(auth: CognitoAuthenticator): { params: URLSearchParams; cookie: string } {
  const response = auth.start({ csrf: "c".repeat(32) });
  expect(response.status).toBe(303);
  const location = new URL(response.headers.location!);
  expect(`${location.origin}${location.pathname}`).toBe(`${base}/oauth2/authorize`);
  return { params: location.searchParams, cookie: response.cookies[0]!.split(";")[0]! };
}

/** The browser's return from the managed login with a code the stand-in issued for `challenge`. */
function callback(sign: { params: URLSearchParams; cookie: string }, token: string, options: { state?: string; challenge?: string } = {}): ConsoleRequest {
  const code = randomBytes(8).toString("hex");
  codes.set(code, { challenge: options.challenge ?? sign.params.get("code_challenge")!, idToken: token });
  return { method: "GET", path: "/sign-in/callback", query: new URLSearchParams({ code, state: options.state ?? sign.params.get("state")! }).toString(), headers: { cookie: `a=1; ${sign.cookie}` }, body: "" };
}

async function signInWith(token: string) {
  const auth = authenticator();
  return auth.complete(callback(started(auth), token));
}

/** What a session cookie holds (its signature is the console's to check). */
function sessionIn(cookie: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(cookie.slice("asye_console=".length).split(".")[0]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("the Cognito sign-in (authorization code with PKCE and state)", () => {
  it("redirects to the managed login with S256 PKCE, a fresh state and a signed HttpOnly cookie kept to /sign-in", () => {
    const { params, cookie } = started(authenticator());
    expect(Object.fromEntries(params)).toMatchObject({ response_type: "code", client_id: CLIENT_ID, redirect_uri: `${CONSOLE_URL}sign-in/callback`, scope: "openid email", code_challenge_method: "S256" });
    expect(params.get("state")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.startsWith(`${SIGN_IN_COOKIE}=`)).toBe(true);
    const full = authenticator().start({ csrf: "c".repeat(32) }).cookies[0]!;
    expect(full).toMatch(/; Path=\/sign-in; HttpOnly; Secure; SameSite=Lax; Max-Age=600$/);
    expect(started(authenticator()).params.get("state")).not.toBe(params.get("state"));
  });

  it("accepts a good ID token and maps its group to the role", async () => {
    expect(await signInWith(idToken())).toEqual({ ok: true, role: "survey-team", subject: "5e1f-user" });
    expect(await signInWith(idToken({ "cognito:groups": ["report-author"] }))).toEqual({ ok: true, role: "report-author", subject: "5e1f-user" });
    expect(await signInWith(idToken({ "cognito:groups": ["report-author", "survey-team"] }))).toMatchObject({ ok: true, role: "survey-team" });
    expect(roleOf(["admins"])).toBeUndefined();
  });

  it("refuses a token with the wrong issuer, audience or use, an expired one, one signed with another key, and one without a group", async () => {
    const token = (outcome: Awaited<ReturnType<typeof signInWith>>) => (outcome.ok ? "accepted" : outcome.field);
    expect(token(await signInWith(idToken({ iss: `${base}/eu-west-2_OtherPool` })))).toBe("token");
    expect(token(await signInWith(idToken({ aud: "another-client" })))).toBe("token");
    expect(token(await signInWith(idToken({ token_use: "access" })))).toBe("token");
    expect(token(await signInWith(idToken({ exp: Math.floor(Date.now() / 1000) - 60 })))).toBe("token");
    expect(token(await signInWith(idToken({}, otherKey)))).toBe("token");
    expect(token(await signInWith(idToken({ exp: undefined })))).toBe("token");
    expect(token(await signInWith(idToken({ "cognito:groups": undefined })))).toBe("role");
    expect(token(await signInWith(idToken({ "cognito:groups": ["admins"] })))).toBe("role");
  });

  it("refuses a callback whose state does not match, without the sign-in cookie or with a forged one, and a code bound to another sign-in's PKCE challenge", async () => {
    const auth = authenticator();
    const mine = started(auth);
    const field = (outcome: Awaited<ReturnType<typeof signInWith>>) => (outcome.ok ? "accepted" : outcome.field);
    expect(field(await auth.complete(callback(mine, idToken(), { state: started(auth).params.get("state")! })))).toBe("state");
    expect(field(await auth.complete({ ...callback(mine, idToken()), headers: {} }))).toBe("state");
    const [payload] = mine.cookie.slice(SIGN_IN_COOKIE.length + 1).split(".");
    expect(field(await auth.complete(callback({ ...mine, cookie: `${SIGN_IN_COOKIE}=${payload}.forged` }, idToken())))).toBe("state");
    expect(field(await authenticator().complete(callback(mine, idToken())))).toBe("state");
    // An attacker's code (issued to the attacker's own sign-in) injected into this browser's callback.
    const attackers = started(auth);
    expect(field(await auth.complete(callback(mine, idToken(), { challenge: attackers.params.get("code_challenge")! })))).toBe("token");
    expect(field(await auth.complete({ ...callback(mine, idToken()), query: "error=access_denied&error_description=no" }))).toBe("provider");
    // And the genuine callback still works.
    expect(await auth.complete(callback(mine, idToken()))).toMatchObject({ ok: true });
  });

  it("signs in through the console's door, shows a refused page for no group, and signs out at Cognito's logout endpoint", async () => {
    const deps = { log: { info() {}, warn() {}, error() {} }, authenticator: authenticator(), sessionKey: randomBytes(32), now: () => new Date() } as unknown as ConsoleDeps;
    const get = (path: string, cookie: string, query = ""): Promise<ConsoleResponse> => handleConsoleRequest({ method: "GET", path, query, headers: { cookie }, body: "" }, deps);
    const start = await get("/sign-in", "");
    const location = new URL(start.headers.location!);
    const cookies = start.cookies.map((value) => value.split(";")[0]!).join("; ");
    expect(start.headers["content-security-policy"]).toContain(`form-action 'self' ${base}`);
    const sign = { params: location.searchParams, cookie: cookies };
    const done = await handleConsoleRequest(callback(sign, idToken({ "cognito:groups": ["report-author"] })), deps);
    expect([done.status, done.headers.location]).toEqual([303, "/cycles"]);
    const session = done.cookies.find((value) => value.startsWith("asye_console="))!.split(";")[0]!;
    expect(sessionIn(session)).toMatchObject({ role: "report-author", subject: "5e1f-user" });
    const csrf = sessionIn(session).csrf as string;
    const out = await handleConsoleRequest({ method: "POST", path: "/sign-out", headers: { cookie: session, "content-type": "application/x-www-form-urlencoded" }, body: `csrf=${csrf}` }, deps);
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(`${base}/logout?client_id=${CLIENT_ID}&logout_uri=${encodeURIComponent(`${CONSOLE_URL}sign-in`)}`);
    expect(out.cookies[0]).toMatch(/^asye_console=; .*Max-Age=0/);

    const again = await get("/sign-in", "");
    const noGroup = await handleConsoleRequest(callback({ params: new URL(again.headers.location!).searchParams, cookie: again.cookies.map((v) => v.split(";")[0]!).join("; ") }, idToken({ "cognito:groups": [] })), deps);
    expect(noGroup.status).toBe(403);
    expect(String(noGroup.body)).toContain("Your account has no role in this console");
    // Not signed in: the only session given is an anonymous one.
    expect(noGroup.cookies.filter((value) => value.startsWith("asye_console=")).map((value) => sessionIn(value.split(";")[0]!).role)).toEqual([undefined]);
  });

  it("derives a user pool's issuer from its id, and refuses an id that is not one", () => {
    expect(cognitoIssuer("eu-west-2_AbC123")).toBe("https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123");
    expect(() => cognitoIssuer("https://evil.example/x")).toThrow();
  });
});

describe("sst.config.ts's sign-in", () => {
  const config = readFileSync("sst.config.ts", "utf8");
  it("declares an invite-only user pool with a managed-login domain, a confidential code-flow client and the two role groups, linked to the console", () => {
    expect(config).toContain('new sst.aws.CognitoUserPool("ConsoleUsers"');
    expect(config).toContain("args.adminCreateUserConfig = { allowAdminCreateUserOnly: true }");
    expect(config).toContain("domain: { prefix: `asye-console-${$app.stage}` }");
    expect(config).toContain("args.generateSecret = true");
    expect(config).toContain('args.allowedOauthFlows = ["code"]');
    expect(config).toContain("callbackUrls: [$interpolate`${consoleUrl}sign-in/callback`]");
    expect(config).toMatch(/"SurveyTeamGroup", "survey-team"[\s\S]*"ReportAuthorGroup", "report-author"/);
    expect(config).toContain("link: [...common.link, consoleSessionKey, consoleSignIn]");
  });

  it("lets the console write only the reminders' keys of the table", () => {
    const consoleFunction = config.slice(config.indexOf('new sst.aws.Function("Console"'), config.indexOf('consoleRouter.route("/", webConsole.url)'));
    expect(consoleFunction).toContain('conditions: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ["RECIPIENTS#*", "TOKENS#*", "REMINDERS#*"] }]');
    expect(consoleFunction.match(/dynamodb:(PutItem|UpdateItem|DeleteItem)/g)).toHaveLength(3);
    expect(consoleFunction).not.toMatch(/s3:(PutObject|DeleteObject)/);
  });
});
