/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The system's wiring, top to bottom: storage, then the functions that use it.
 *
 * One bucket holds everything in S3 (raw uploads, normalized batches, rejection
 * reports, ingest receipts, results, reminder run summaries); one table holds the
 * ingest ledger, recipients and the exactly-once send claims.
 * Uploads under `uploads/` trigger ingest; the receipt ingest writes under
 * `ingested/` triggers compute. An hourly schedule sends invitations and reminders
 * through SES; bounces and complaints come back through an SNS topic.
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
      // The nodejs22.x runtime ships the AWS SDK v3 clients; leaving them out keeps bundles under 1 MB.
      // exceljs (read only for .xlsx uploads, loaded on demand) is installed beside the bundle.
      nodejs: { esbuild: { external: ["@aws-sdk/client-*"] }, install: ["exceljs"] },
    };

    // Uploads reach ingest through a queue: a crashed or failed delivery comes back after the
    // visibility timeout (above the function timeout plus the 30 s claim margin), and after five
    // receives the message moves to the dead-letter queue, which raises an alarm.
    const uploadDeadLetters = new sst.aws.Queue("UploadDeadLetters", { visibilityTimeout: "6 minutes" });
    const uploadEvents = new sst.aws.Queue("UploadEvents", {
      visibilityTimeout: "6 minutes",
      dlq: { queue: uploadDeadLetters.arn, retry: 5 },
    });
    uploadEvents.subscribe(
      {
        ...common,
        handler: "functions/ingest.handler",
        memory: "1024 MB",
        timeout: "5 minutes",
      },
      { batch: { size: 1, partialResponses: true } },
    );

    const compute = new sst.aws.Function("Compute", {
      ...common,
      handler: "functions/compute.handler",
      memory: "1024 MB",
      timeout: "5 minutes",
    });

    // Invitations and reminders: SES, its bounce/complaint events, and the hourly schedule.
    const deliveryEvents = new sst.aws.SnsTopic("DeliveryEvents");
    const mail = new sst.aws.Email("Mail", {
      sender: "asye-survey@skillsforcare.org.uk",
      events: [{ name: "Undeliverable", types: ["bounce", "complaint"], topic: deliveryEvents.arn }],
    });
    deliveryEvents.subscribe("MarkUndeliverable", {
      ...common,
      handler: "functions/ses-events.handler",
      link: [ledger],
    });
    new sst.aws.CronV2("Reminders", {
      schedule: "cron(0 * * * ? *)",
      timezone: "Europe/London",
      function: {
        ...common,
        handler: "functions/reminders.handler",
        link: [data, ledger, mail],
        timeout: "15 minutes",
      },
    });

    // Report authors: the results over HTTP, behind a bearer token kept as a secret.
    const apiToken = new sst.Secret("ResultsApiToken");
    const resultsApi = new sst.aws.Function("ResultsApi", {
      ...common,
      handler: "functions/results-api.handler",
      link: [data, ledger, apiToken],
      timeout: "30 seconds",
    });
    const api = new sst.aws.ApiGatewayV2("Api");
    for (const route of [
      "GET /cycles",
      "GET /cycles/{id}/results",
      "GET /cycles/{id}/results/{section}",
      "POST /cycles/{id}/ingest",
    ]) {
      api.route(route, resultsApi.arn);
    }

    data.notify({
      notifications: [
        {
          name: "QueueUploads",
          queue: uploadEvents,
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

    return { bucket: data.name, ledger: ledger.name, compute: compute.name, api: api.url };
  },
});
