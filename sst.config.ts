/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The system's wiring, top to bottom: storage, then the functions that use it.
 *
 * One bucket holds everything in S3 (raw uploads, normalized batches, rejection
 * reports, ingest receipts, results); one table holds the ingest ledger.
 * Uploads under `uploads/` trigger ingest; the receipt ingest writes under
 * `ingested/` triggers compute.
 */
export default $config({
  app(input) {
    return {
      name: "asye-survey-analytics",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
      home: "aws",
    };
  },
  async run() {
    const data = new sst.aws.Bucket("SurveyData");

    const ledger = new sst.aws.Dynamo("Ledger", {
      fields: { pk: "string", sk: "string" },
      primaryIndex: { hashKey: "pk", rangeKey: "sk" },
    });

    const common = {
      runtime: "nodejs22.x" as const,
      architecture: "arm64" as const,
      link: [data, ledger],
      environment: { POWERTOOLS_SERVICE_NAME: "asye-survey-analytics" },
    };

    const ingest = new sst.aws.Function("Ingest", {
      ...common,
      handler: "functions/ingest.handler",
      memory: "1024 MB",
      timeout: "15 minutes",
    });

    const compute = new sst.aws.Function("Compute", {
      ...common,
      handler: "functions/compute.handler",
      memory: "1024 MB",
      timeout: "5 minutes",
    });

    data.notify({
      notifications: [
        {
          name: "IngestOnUpload",
          function: ingest.arn,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: "uploads/",
        },
        {
          name: "ComputeOnIngest",
          function: compute.arn,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: "ingested/",
        },
      ],
    });

    return { bucket: data.name, ledger: ledger.name, compute: compute.name };
  },
});
