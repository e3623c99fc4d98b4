import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recipientHash, tokenHash } from "../lib/reminders/recipientHash.ts";

// sst.config.ts cannot be deployed from here; its typecheck runs in CI. These read it for the
// access it declares, so a blanket grant cannot come back unnoticed.
const config = readFileSync("sst.config.ts", "utf8");

describe("sst.config.ts declares least privilege", () => {
  it("grants no service-wide wildcard, and links the bucket and table only through permission-free linkables", () => {
    expect(config).not.toMatch(/"(s3|dynamodb|ses|sqs):\*"/);
    expect(config).toContain('new sst.Linkable("SurveyData", { properties: { name: bucket.name } })');
    expect(config).toContain('new sst.Linkable("Ledger", { properties: { name: table.name } })');
    expect(config).not.toMatch(/link: \[[^\]]*\b(bucket|table|mail)\b/);
  });

  it("lets no function write or delete raw uploads, and the internet-facing reader only read", () => {
    expect(config).not.toMatch(/s3\(\[[^\]]*"s3:(PutObject|DeleteObject)"[^\]]*\][^)]*"uploads\/"/);
    const reader = config.slice(config.indexOf('new sst.aws.Function("ResultsApi"'), config.indexOf('new sst.aws.Function("ReingestApi"'));
    expect(reader).toContain('s3(["s3:GetObject"], "results/", "cycles/")');
    expect(reader).toContain('dynamo("GetItem", "Query")');
    expect(reader).not.toMatch(/PutObject|PutItem|UpdateItem|DeleteItem/);
  });

  it("lets the console write in S3 only cycle files, drafts and staged exports, and make an upload only by copying a staged one", () => {
    const webConsole = config.slice(config.indexOf('new sst.aws.Function("Console"'), config.indexOf("bucket.notify("));
    expect(webConsole).toContain('s3(["s3:PutObject"], "staging/")');
    expect(webConsole).toContain('s3(["s3:PutObject"], "cycles/", "drafts/")');
    expect(webConsole.match(/s3:PutObject/g)).toHaveLength(3);
    expect(webConsole).toMatch(/actions: \["s3:PutObject"\],\s+resources: \[\$interpolate`\$\{bucket.arn\}\/uploads\/\*`\],\s+conditions: \[\{ test: "StringLike", variable: "s3:x-amz-copy-source", values: \[\$interpolate`\$\{bucket.name\}\/staging\/\*`\] \}\]/);
    expect(webConsole).not.toMatch(/DeleteObject/);
    expect(config).toContain('{ id: "expire-staged-uploads", prefix: "staging/", expiresIn: "1 day" }');
    // Behind the Router: CloudFront waits 60 seconds at most (its default is 20), and the function stops then too.
    expect(config).toContain('consoleRouter.route("/", webConsole.url, { readTimeout: "60 seconds" });');
    expect(webConsole).toMatch(/timeout: "60 seconds",\s+\}\);\s+\/\/ CloudFront/);
  });

  it("keeps raw uploads versioned, the API throttled with CORS closed, and ingest behind a queue with a dead-letter queue", () => {
    expect(config).toMatch(/new sst.aws.Bucket\("SurveyBucket", \{\s+versioning: true,/);
    expect(config).toContain("cors: false");
    expect(config).toMatch(/throttlingBurstLimit: \d+, throttlingRateLimit: \d+/);
    expect(config).toContain("dlq: { queue: uploadDeadLetters.arn, retry: 5 }");
    expect(config).toContain("{ batch: { size: 1, partialResponses: true } }");
    expect(config).toContain('api.route("POST /cycles/{id}/ingest", reingestApi.arn)');
  });

  it("keeps personal data under personal/: its own KMS key, refused unencrypted, expired with every version after the retention", () => {
    expect(config).toContain('new aws.kms.Key("PersonalDataKey"');
    expect(config).toContain('{ id: "expire-personal-data", prefix: "personal/", expiresIn: `${retentionDays} days` },');
    // The console's drafts in progress hold no personal data, and are not kept either.
    expect(config).toContain('{ id: "expire-console-drafts", prefix: "drafts/", expiresIn: "2 days" },');
    expect(config).toContain("Number(process.env.ASYE_RECORD_RETENTION_DAYS ?? 4 * 365 + 1)");
    expect(config).toContain("noncurrentVersionExpiration: { noncurrentDays: 1 }");
    expect(config).toMatch(/effect: "deny",\s+actions: \["s3:PutObject"\],\s+principals: "\*",\s+paths: \["personal\/\*"\]/);
    expect(config).toContain('filterPrefix: "personal/uploads/"');
    // Only ingest writes records; only compute may delete them; the reader never touches them.
    const reader = config.slice(config.indexOf('new sst.aws.Function("ResultsApi"'), config.indexOf('new sst.aws.Function("ReingestApi"'));
    expect(reader).not.toContain("personal/");
  });

  it("fans 360 reports out through a queue with a dead-letter queue and an alarm, which compute may only send to", () => {
    expect(config).toContain("dlq: { queue: reportDeadLetters.arn, retry: 5 }");
    expect(config).toContain('handler: "functions/organisation-reports.handler"');
    expect(config).toContain('new sst.Linkable("OrganisationReports", { properties: { url: organisationReportQueue.url } })');
    expect(config).toContain('sst.aws.permission({ actions: ["sqs:SendMessage"], resources: [organisationReportQueue.arn] })');
    expect(config).not.toMatch(/link: \[[^\]]*\borganisationReportQueue\b/);
    expect(config).toContain("dimensions: { QueueName: reportDeadLetters.nodes.queue.name }");
  });
});

describe("recipient and token pseudonyms", () => {
  it("are keyed: without the secret, a guessed address or token gives another hash", () => {
    expect(recipientHash("jo@example.org", "key-1")).toBe(recipientHash(" JO@example.org", "key-1"));
    expect(recipientHash("jo@example.org", "key-1")).not.toBe(recipientHash("jo@example.org", "key-2"));
    expect(tokenHash("T-1", "key-1")).not.toBe(tokenHash("T-1", "key-2"));
  });
});
