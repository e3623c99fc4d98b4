import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { Resource } from "sst/resource";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoIngestLedger } from "../lib/adapters/dynamoIngestLedger.ts";
import { DynamoRecipientStore } from "../lib/adapters/dynamoRecipientStore.ts";
import { S3ObjectStore } from "../lib/adapters/s3ObjectStore.ts";
import { handleResultsRequest } from "../lib/api/resultsApi.ts";
import { createLogger } from "../lib/logging/createLogger.ts";

const log = createLogger();
const clients = createAwsClients(endpointsFromEnvironment());

/**
 * API Gateway (HTTP API) → the results API. Reading needs the `ResultsApiToken` secret; re-running
 * ingestion needs the separate `IngestApiToken`.
 */
export async function handler(event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> {
  if (context) log.addContext(context);
  return handleResultsRequest(
    { method: event.requestContext.http.method, path: event.rawPath, headers: event.headers ?? {} },
    {
      store: new S3ObjectStore(clients.s3, Resource.SurveyData.name, process.env.ASYE_PERSONAL_DATA_KEY),
      ledger: new DynamoIngestLedger(clients.dynamodb, Resource.Ledger.name),
      recipients: new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name, Resource.RecipientHashKey.value),
      log,
      token: Resource.ResultsApiToken.value,
      ingestToken: Resource.IngestApiToken.value,
      ...(context ? { leaseMs: context.getRemainingTimeInMillis() + 5_000 } : {}),
    },
  );
}
