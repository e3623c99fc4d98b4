/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The system's wiring, top to bottom: storage, then the functions that use it, each with
 * exactly the access it needs.
 *
 * One versioned bucket holds everything in S3 (raw uploads, normalized batches, rejection
 * reports, ingest receipts, results, reminder run summaries); one table holds the ingest ledger,
 * the publication pointer, recipients and the exactly-once send claims.
 * Uploads under `uploads/` go to a queue (with a dead-letter queue) that ingest consumes; the
 * receipt ingest writes under `ingested/` triggers compute; a 360 cycle's compute fans its
 * personalised reports out through a queue. An hourly schedule sends invitations
 * and reminders through SES; bounces and complaints come back through an SNS topic.
 * Alarms (dead letters, stopped reminder runs, failing functions) go to the Alerts topic.
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
    // Personal data (the registration platform's outcome records, raw and normalized, and the 360
    // tool's raw exports, which name their raters) lives under
    // personal/: encrypted with a key of its own (the bucket refuses it otherwise) and deleted, every
    // version, after the retention period (four years unless ASYE_RECORD_RETENTION_DAYS says).
    const personalDataKey = new aws.kms.Key("PersonalDataKey", {
      description: "ASYE outcome records (personal data) under personal/",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const retentionDays = Number(process.env.ASYE_RECORD_RETENTION_DAYS ?? 4 * 365 + 1);
    // Versioned: an upload under a key already used never replaces the raw export it held.
    const bucket = new sst.aws.Bucket("SurveyBucket", {
      versioning: true,
      lifecycle: [
        { id: "expire-personal-data", prefix: "personal/", expiresIn: `${retentionDays} days` },
        // The console's drafts in progress (lib/console/setup/draftStore.ts): the console refuses them after a day too.
        { id: "expire-console-drafts", prefix: "drafts/", expiresIn: "2 days" },
        // The console's staged exports (checked, not yet used) are deleted after a day; the console refuses older ones itself.
        { id: "expire-staged-uploads", prefix: "staging/", expiresIn: "1 day" },
      ],
      policy: [
        {
          effect: "deny",
          actions: ["s3:PutObject"],
          principals: "*",
          paths: ["personal/*"],
          conditions: [{ test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: [personalDataKey.arn] }],
        },
      ],
      transform: {
        // In a versioned bucket expiry only hides the current version behind a delete marker: the
        // hidden versions go a day later.
        lifecycle: (args) => {
          args.rules = $output(args.rules).apply((rules) => (rules ?? []).map((rule) => ({ ...rule, noncurrentVersionExpiration: { noncurrentDays: 1 } })));
        },
      },
    });
    const table = new sst.aws.Dynamo("LedgerTable", {
      fields: { pk: "string", sk: "string" },
      primaryIndex: { hashKey: "pk", rangeKey: "sk" },
    });
    // Handlers read the names through `Resource.SurveyData` / `Resource.Ledger`. These links carry
    // no permissions: SST's own links to a bucket or table grant `s3:*` / `dynamodb:*`, so each
    // function below is given its actions and key prefixes itself.
    const data = new sst.Linkable("SurveyData", { properties: { name: bucket.name } });
    const ledger = new sst.Linkable("Ledger", { properties: { name: table.name } });
    const hashKey = new sst.Secret("RecipientHashKey");

    const s3 = (actions: string[], ...prefixes: string[]) =>
      sst.aws.permission({ actions, resources: prefixes.map((prefix) => $interpolate`${bucket.arn}/${prefix}*`) });
    const dynamo = (...actions: string[]) => sst.aws.permission({ actions: actions.map((a) => `dynamodb:${a}`), resources: [table.arn] });

    const common = {
      runtime: "nodejs22.x" as const,
      architecture: "arm64" as const,
      link: [data, ledger, hashKey],
      environment: { POWERTOOLS_SERVICE_NAME: "asye-survey-analytics", POWERTOOLS_METRICS_NAMESPACE: "AsyeSurvey", ASYE_PERSONAL_DATA_KEY: personalDataKey.arn },
      // The nodejs22.x runtime ships the AWS SDK v3 clients; leaving them out keeps bundles under 1 MB.
      // exceljs (read only for .xlsx uploads, loaded on demand) is installed beside the bundle.
      nodejs: { esbuild: { external: ["@aws-sdk/client-*"] }, install: ["exceljs"] },
    };
    // Ingest reads uploads and cycle files and writes what it derives; it can neither change nor
    // delete an upload.
    const personalData = sst.aws.permission({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [personalDataKey.arn] });
    const ingestAccess = [
      s3(["s3:GetObject", "s3:GetObjectVersion"], "uploads/", "personal/uploads/", "cycles/"),
      s3(["s3:PutObject", "s3:AbortMultipartUpload"], "normalized/", "rejects/", "ingested/", "coded/", "personal/records/", "aggregates/"),
      personalData,
    ];
    // Compute reads the records and deletes those past their retention before lifecycle gets to them.
    const computeAccess = [
      s3(["s3:GetObject"], "cycles/", "normalized/", "coded/", "coding/", "results/", "personal/records/", "aggregates/"),
      s3(["s3:PutObject"], "results/"),
      s3(["s3:DeleteObject", "s3:DeleteObjectVersion"], "personal/"),
      sst.aws.permission({ actions: ["s3:ListBucket", "s3:ListBucketVersions"], resources: [bucket.arn] }),
      personalData,
    ];
    const ledgerWrites = dynamo("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "BatchGetItem", "ConditionCheckItem");

    const alerts = new sst.aws.SnsTopic("Alerts");

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
        permissions: [...ingestAccess, ledgerWrites],
      },
      { batch: { size: 1, partialResponses: true } },
    );

    // 360 cycles: compute sends one message per included organisation; each is rendered (HTML and
    // PDF) by its own invocation, ten at a time, and the completion record in the ledger tells the
    // last one to publish. Failed messages come back; after five receives, the dead-letter queue.
    const reportDeadLetters = new sst.aws.Queue("OrganisationReportDeadLetters", { visibilityTimeout: "4 minutes" });
    const organisationReportQueue = new sst.aws.Queue("OrganisationReportQueue", {
      visibilityTimeout: "4 minutes",
      dlq: { queue: reportDeadLetters.arn, retry: 5 },
    });
    // The link carries the URL only (the queue's own link grants sqs:*): compute may only send.
    const organisationReports = new sst.Linkable("OrganisationReports", { properties: { url: organisationReportQueue.url } });
    // tar-fs (which unpacks Chromium's libraries) is a dependency of @sparticuz/chromium: installed with it, not bundled.
    // subset-font (which subsets the figures' embedded font) reads HarfBuzz's WebAssembly from its package: installed, not bundled.
    const chromiumInstall = { ...common.nodejs, install: ["exceljs", "@sparticuz/chromium", "playwright-core", "tar-fs", "subset-font"] };
    // Compute also fits the outcomes regression: ml-matrix goes beside the bundle, which stays under 1 MB.
    const computeInstall = { ...common.nodejs, install: [...chromiumInstall.install, "ml-matrix"] };
    organisationReportQueue.subscribe(
      {
        ...common,
        handler: "functions/organisation-reports.handler",
        nodejs: chromiumInstall,
        memory: "2048 MB",
        timeout: "3 minutes",
        permissions: [
          s3(["s3:GetObject"], "cycles/", "results/"),
          s3(["s3:PutObject"], "results/"),
          dynamo("GetItem", "PutItem", "UpdateItem", "Query"),
        ],
      },
      {
        batch: { size: 1, partialResponses: true },
        transform: { eventSourceMapping: (args) => void (args.scalingConfig = { maximumConcurrency: 10 }) },
      },
    );

    const compute = new sst.aws.Function("Compute", {
      ...common,
      handler: "functions/compute.handler",
      link: [...common.link, organisationReports],
      // Compute prints the report to PDF in the headless Chromium from @sparticuz/chromium, which
      // (with playwright-core that drives it) is installed beside the bundle, never bundled.
      nodejs: computeInstall,
      memory: "2048 MB",
      timeout: "5 minutes",
      permissions: [
        ...computeAccess,
        dynamo("GetItem", "PutItem", "Query"),
        sst.aws.permission({ actions: ["sqs:SendMessage"], resources: [organisationReportQueue.arn] }),
      ],
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
      permissions: [dynamo("UpdateItem")],
    });
    const reminders = new sst.aws.CronV2("Reminders", {
      schedule: "cron(0 * * * ? *)",
      timezone: "Europe/London",
      function: {
        ...common,
        handler: "functions/reminders.handler",
        // Not linked to the Email component (its link grants every SES action): sender and configuration set by name, sending only.
        environment: { ...common.environment, ASYE_MAIL_SENDER: mail.sender, ASYE_MAIL_CONFIGURATION_SET: mail.configSet },
        permissions: [
          s3(["s3:GetObject"], "cycles/"),
          s3(["s3:PutObject"], "reminders/"),
          sst.aws.permission({ actions: ["s3:ListBucket"], resources: [bucket.arn] }),
          dynamo("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query"),
          sst.aws.permission({ actions: ["ses:SendEmail"], resources: ["*"] }),
        ],
        timeout: "15 minutes",
      },
    });

    // Report authors: the results over HTTP. Reading needs one token; re-running ingestion another,
    // served by its own function, so the internet-facing reader can only read.
    const apiToken = new sst.Secret("ResultsApiToken");
    const ingestToken = new sst.Secret("IngestApiToken");
    const resultsApi = new sst.aws.Function("ResultsApi", {
      ...common,
      handler: "functions/results-api.handler",
      link: [...common.link, apiToken, ingestToken],
      permissions: [
        s3(["s3:GetObject"], "results/", "cycles/"),
        sst.aws.permission({ actions: ["s3:ListBucket"], resources: [bucket.arn] }),
        dynamo("GetItem", "Query"),
      ],
      timeout: "30 seconds",
    });
    const reingestApi = new sst.aws.Function("ReingestApi", {
      ...common,
      // The same handler as the reader; only this function's role may ingest and compute.
      handler: "functions/results-api.handler",
      link: [...common.link, apiToken, ingestToken],
      permissions: [...ingestAccess, ...computeAccess, ledgerWrites],
      timeout: "5 minutes",
    });
    const api = new sst.aws.ApiGatewayV2("Api", {
      cors: false,
      transform: {
        stage: (args) => {
          args.defaultRouteSettings = { throttlingBurstLimit: 20, throttlingRateLimit: 10 };
        },
      },
    });
    for (const route of ["GET /cycles", "GET /cycles/{id}/results", "GET /cycles/{id}/results/{section}", "GET /cycles/{id}/files/{name}"]) {
      api.route(route, resultsApi.arn);
    }
    api.route("POST /cycles/{id}/ingest", reingestApi.arn);

    // The web console (issue 23): server-rendered pages for the survey team and report authors,
    // on a function URL with response streaming, so published files stream from S3 to the browser
    // (API Gateway would buffer them, up to 10 MB), behind a Router (CloudFront) whose address is
    // known before the function exists: Cognito's app client must name the callback URL, and the
    // function must know the client, so the function URL itself cannot be the callback. It reads
    // what the results API reads; its reminders pages also store recipient lists and the pause
    // (only those keys of the table). Sessions are signed with ConsoleSessionKey (32 random bytes,
    // base64). GOV.UK Frontend's stylesheet is read from its package, installed beside the bundle.
    const consoleSessionKey = new sst.Secret("ConsoleSessionKey");
    const consoleRouter = new sst.aws.Router("ConsoleRouter");
    const consoleUrl = $interpolate`${consoleRouter.url}/`;
    // Sign-in (docs/operators.md): invite-only accounts (an operator adds people with
    // AdminCreateUser), the managed login on a Cognito prefix domain, and two groups for the roles.
    const consoleUsers = new sst.aws.CognitoUserPool("ConsoleUsers", {
      usernames: ["email"],
      domain: { prefix: `asye-console-${$app.stage}` },
      transform: {
        userPool: (args) => {
          args.adminCreateUserConfig = { allowAdminCreateUserOnly: true };
          args.passwordPolicy = { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false, temporaryPasswordValidityDays: 3 };
        },
      },
    });
    // A confidential client: authorization code with PKCE only, ID tokens for an hour.
    const consoleClient = consoleUsers.addClient("ConsoleClient", {
      callbackUrls: [$interpolate`${consoleUrl}sign-in/callback`],
      transform: {
        client: (args) => {
          args.generateSecret = true;
          args.allowedOauthFlows = ["code"];
          args.allowedOauthScopes = ["openid", "email"];
          args.logoutUrls = [$interpolate`${consoleUrl}sign-in`];
          args.explicitAuthFlows = ["ALLOW_REFRESH_TOKEN_AUTH"];
          args.preventUserExistenceErrors = "ENABLED";
          args.idTokenValidity = 60;
          args.accessTokenValidity = 60;
          args.tokenValidityUnits = { idToken: "minutes", accessToken: "minutes" };
        },
      },
    });
    for (const [name, group, description] of [
      ["SurveyTeamGroup", "survey-team", "The survey team: everything in the console"],
      ["ReportAuthorGroup", "report-author", "Report authors: read and download results"],
    ] as const) {
      new aws.cognito.UserGroup(name, { userPoolId: consoleUsers.id, name: group, description });
    }
    const consoleSignIn = new sst.Linkable("ConsoleSignIn", {
      properties: { userPoolId: consoleUsers.id, clientId: consoleClient.id, clientSecret: consoleClient.secret, domainUrl: consoleUsers.domainUrl, consoleUrl },
    });
    const webConsole = new sst.aws.Function("Console", {
      ...common,
      handler: "functions/console.handler",
      link: [...common.link, consoleSessionKey, consoleSignIn],
      nodejs: { ...common.nodejs, install: [...common.nodejs.install, "govuk-frontend"] },
      url: true,
      streaming: true,
      permissions: [
        // Reads the published files and cycle files, drafts in progress, the staged exports (to check
        // them) and the rejection reports; lists keys (uploads, staged files) for the what-happened page.
        s3(["s3:GetObject"], "results/", "cycles/", "drafts/", "staging/", "rejects/"),
        // Setting a cycle up: its cycle file, and drafts in progress (never uploads or results).
        s3(["s3:PutObject"], "cycles/", "drafts/"),
        sst.aws.permission({ actions: ["s3:ListBucket"], resources: [bucket.arn] }),
        // Writes only under staging/: the presigned POSTs it signs carry this role's rights, and each
        // policy names one exact key (staging/{cycle}/{group}/{id}), a size range and a 10-minute expiry.
        s3(["s3:PutObject"], "staging/"),
        // "Use this export": a PutObject under uploads/ only as a copy of a staged file (CopyObject),
        // so this function can never write an upload's bytes itself.
        sst.aws.permission({
          actions: ["s3:PutObject"],
          resources: [$interpolate`${bucket.arn}/uploads/*`],
          conditions: [{ test: "StringLike", variable: "s3:x-amz-copy-source", values: [$interpolate`${bucket.name}/staging/*`] }],
        }),
        dynamo("GetItem", "Query"),
        // The reminders pages write recipients, their token hashes and the pause: no other keys.
        sst.aws.permission({
          actions: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
          resources: [table.arn],
          conditions: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ["RECIPIENTS#*", "TOKENS#*", "REMINDERS#*"] }],
        }),
      ],
      // The check page reads a whole staged export (up to 50 MB) as ingest would. CloudFront waits
      // at most 60 seconds for an answer, so the function stops then too rather than work unseen.
      timeout: "60 seconds",
    });
    // CloudFront's default is 20 seconds; 60 is its most.
    consoleRouter.route("/", webConsole.url, { readTimeout: "60 seconds" });

    bucket.notify({
      notifications: [
        {
          name: "QueueUploads",
          queue: uploadEvents,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: "uploads/",
        },
        {
          name: "QueuePersonalUploads",
          queue: uploadEvents,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: "personal/uploads/",
        },
        {
          name: "ComputeOnIngest",
          function: compute.arn,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: "ingested/",
        },
      ],
    });

    // Who is told: everything below goes to the Alerts topic (subscribe the survey team's address).
    new aws.cloudwatch.MetricAlarm("UploadsDeadLettered", {
      alarmDescription: "An upload could not be ingested after five deliveries: it is in the dead-letter queue.",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: uploadDeadLetters.nodes.queue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [alerts.arn],
    });
    new aws.cloudwatch.MetricAlarm("OrganisationReportsDeadLettered", {
      alarmDescription: "A 360 personalised report could not be rendered after five deliveries: its message is in the dead-letter queue, and the version waits unpublished.",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: reportDeadLetters.nodes.queue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [alerts.arn],
    });
    new aws.cloudwatch.MetricAlarm("ReminderRunStopped", {
      alarmDescription: "A reminder run stopped: the sender or the SES account cannot send (not verified, sandbox, paused).",
      namespace: "AsyeSurvey",
      metricName: "ReminderRunsStopped",
      dimensions: { service: "asye-survey-analytics" },
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [alerts.arn],
    });
    for (const [name, fn] of [
      ["Compute", compute],
      ["Reminders", reminders.nodes.function],
    ] as const) {
      new aws.cloudwatch.MetricAlarm(`${name}Errors`, {
        alarmDescription: `The ${name} function failed.`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: fn.name },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [alerts.arn],
      });
    }

    return { bucket: bucket.name, ledger: table.name, compute: compute.name, api: api.url, console: consoleRouter.url, alerts: alerts.arn };
  },
});
