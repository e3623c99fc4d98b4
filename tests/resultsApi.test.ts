import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { useExampleRuntime } from "./support/harness.ts";

// The example cycles as the global setup built them. The API's re-ingest computes the cycle
// itself, so the receipts it writes are not routed to the compute function as well.
const runtime = useExampleRuntime({ routeEvents: "uploads" });
const auth = () => ({ authorization: `Bearer ${runtime().apiToken}` });
const ingestAuth = () => ({ authorization: `Bearer ${runtime().ingestToken}` });
const json = (response: { body?: string }) => JSON.parse(response.body ?? "");

describe("the results API", () => {
  it("refuses a request without the bearer token, or with a wrong one, with a JSON 401", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: runtime().apiToken }];
    for (const headers of attempts) {
      const response = await runtime().apiRequest("GET", "/cycles", headers);
      expect(response.statusCode).toBe(401);
      expect(response.headers?.["www-authenticate"]).toContain("Bearer");
      expect(json(response)).toEqual({ error: "unauthorized", message: "a valid bearer token is required" });
    }
  });

  it("lists the cycles with their state and when they were computed", async () => {
    const response = await runtime().apiRequest("GET", "/cycles", auth());
    expect(response.statusCode).toBe(200);
    const { cycles } = json(response);
    expect(cycles.filter((c: { kind: string }) => c.kind === "survey").map((c: { id: string; state: string; computed: { status: string } }) => [c.id, c.state, c.computed.status])).toEqual([
      ["asye-cf-2024", "closed", "final"],
      ["asye-cf-2025", "closed", "final"],
    ]);
    // The 360 tool's cycles, with how many organisations their published results include.
    expect(cycles.filter((c: { kind: string }) => c.kind === "evaluation360").map((c: { id: string; computed: { organisations: number } }) => [c.id, c.computed.organisations])).toEqual([
      ["asye-360-2024", 146],
      ["asye-360-2025", 152],
    ]);
  });

  it("serves a 360 cycle's national results whole, and each organisation's personalised report as a file", async () => {
    const results = await runtime().apiRequest("GET", "/cycles/asye-360-2025/results", auth());
    expect(results.statusCode).toBe(200);
    expect(json(results)).toMatchObject({ kind: "evaluation360", organisations: { included: 152 } });
    const section = await runtime().apiRequest("GET", "/cycles/asye-360-2025/results/items", auth());
    expect(section.statusCode).toBe(400);
    const report = await runtime().apiRequest("GET", "/cycles/asye-360-2025/files/org-007.html", auth());
    expect(report.statusCode).toBe(200);
    expect(report.headers?.["content-type"]).toContain("text/html");
    const data = await runtime().apiRequest("GET", "/cycles/asye-360-2025/files/org-007.json", auth());
    expect(data.isBase64Encoded).toBe(true);
    expect(JSON.parse(Buffer.from(data.body!, "base64").toString("utf8"))).toMatchObject({ kind: "evaluation360-organisation", organisation: { id: "org-007", name: "Employer 007" } });
    // Employer 200 registered but sent nothing: it has no report.
    expect((await runtime().apiRequest("GET", "/cycles/asye-360-2025/files/org-200.html", auth())).statusCode).toBe(404);
    const table = await runtime().apiRequest("GET", "/cycles/asye-360-2025/files/table-1.csv", auth());
    expect(Buffer.from(table.body!, "base64").toString("utf8")).toContain("national average");
  });

  it("returns the whole document with an ETag, and 304 when it has not changed", async () => {
    const first = await runtime().apiRequest("GET", "/cycles/asye-cf-2025/results", auth());
    expect(first.statusCode).toBe(200);
    expect(json(first).responseRates.groups[0]).toMatchObject({ group: "leads", delivered: 257, responses: 52, percentage: 20 });
    const etag = first.headers?.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const second = await runtime().apiRequest("GET", "/cycles/asye-cf-2025/results", { ...auth(), "If-None-Match": etag });
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe("");
  });

  it("gzips large documents for clients that accept it", async () => {
    const response = await runtime().apiRequest("GET", "/cycles/asye-cf-2025/results", { ...auth(), "accept-encoding": "gzip, br" });
    expect(response.headers?.["content-encoding"]).toBe("gzip");
    expect(response.isBase64Encoded).toBe(true);
    const document = JSON.parse(gunzipSync(Buffer.from(response.body!, "base64")).toString("utf8"));
    expect(document.cycle.id).toBe("asye-cf-2025");
  });

  it("returns one section", async () => {
    const response = await runtime().apiRequest("GET", "/cycles/asye-cf-2025/results/rankings", auth());
    expect(response.statusCode).toBe(200);
    const body = json(response);
    expect(Object.keys(body).sort()).toEqual(["cycle", "rankings", "status"]);
    expect(body.rankings[0].scopes[0].options[0]).toMatchObject({ label: "Supporting leaders and managers", percentage: 88 });
  });

  it.each([
    ["/cycles/..%2F..%2Fcycles/results", 400, "bad-request"],
    ["/cycles/ASYE 2025/results", 400, "bad-request"],
    ["/cycles/asye-cf-2025/results/secrets", 400, "bad-request"],
    ["/cycles/no-such-cycle/results", 404, "not-found"],
    ["/cycles/asye-cf-2025/report", 404, "not-found"],
    ["/elsewhere", 404, "not-found"],
  ])("answers %s with %i and a JSON message", async (path, status, error) => {
    const response = await runtime().apiRequest("GET", path, auth());
    expect(response.statusCode).toBe(status);
    expect(json(response)).toMatchObject({ error });
    expect(json(response).message).toEqual(expect.any(String));
    expect(response.body).not.toMatch(/at .+\.ts:\d+/);
  });

  it("re-runs ingestion of the current uploads and recomputes, without double counting", async () => {
    const before = json(await runtime().apiRequest("GET", "/cycles/asye-cf-2025/results", auth()));
    const response = await runtime().apiRequest("POST", "/cycles/asye-cf-2025/ingest", ingestAuth());
    expect(response.statusCode).toBe(200);
    const body = json(response);
    expect(body.uploads.map((u: { group: string; status: string }) => [u.group, u.status]).sort()).toEqual([
      ["assessors", "accepted"],
      ["leads", "accepted"],
      ["nqsws", "accepted"],
    ]);
    const after = json(await runtime().apiRequest("GET", "/cycles/asye-cf-2025/results", auth()));
    expect(after.provenance.computedAt).not.toBe(before.provenance.computedAt);
    expect(after.responseRates).toEqual(before.responseRates);
    expect(after.items).toEqual(before.items);
    expect((await runtime().apiRequest("GET", "/cycles/asye-cf-2025/ingest", auth())).statusCode).toBe(405);
  });

  it("lets only the ingest token re-run ingestion: the reading token gets 403", async () => {
    const response = await runtime().apiRequest("POST", "/cycles/asye-cf-2025/ingest", auth());
    expect(response.statusCode).toBe(403);
    expect(json(response)).toEqual({ error: "forbidden", message: "re-running ingestion needs the ingest token; the results token only reads" });
    expect((await runtime().apiRequest("GET", "/cycles", ingestAuth())).statusCode).toBe(200);
  });

  it("re-ingests once when five POST /ingest arrive together; the others are told one is running", async () => {
    const key = "uploads/asye-cf-2025/leads/leads.csv";
    const before = (await runtime().ledger.records(key)).length;
    const responses = await Promise.all(Array.from({ length: 5 }, () => runtime().apiRequest("POST", "/cycles/asye-cf-2025/ingest", ingestAuth())));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(json(responses.find((r) => r.statusCode === 409)!)).toMatchObject({ error: "conflict" });
    expect((await runtime().ledger.records(key)).length).toBe(before + 1);
    // The lock is given back: the next call runs.
    expect((await runtime().apiRequest("POST", "/cycles/asye-cf-2025/ingest", ingestAuth())).statusCode).toBe(200);
  });
});
