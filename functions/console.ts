import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Resource } from "sst/resource";
import { createAwsClients, endpointsFromEnvironment } from "../lib/adapters/awsClients.ts";
import { DynamoIngestLedger } from "../lib/adapters/dynamoIngestLedger.ts";
import { DynamoRecipientStore } from "../lib/adapters/dynamoRecipientStore.ts";
import { S3ObjectStore } from "../lib/adapters/s3ObjectStore.ts";
import { S3UploadSigner } from "../lib/adapters/s3UploadSigner.ts";
import { handleConsoleRequest } from "../lib/console/handleConsoleRequest.ts";
import { consoleRequestFromUrlEvent } from "../lib/console/lambdaEvent.ts";
import { CognitoAuthenticator, cognitoIssuer } from "../lib/console/cognitoAuthenticator.ts";
import { createLogger } from "../lib/logging/createLogger.ts";

/** The Node.js runtime's response streaming (function URLs with `streaming: true`). */
declare const awslambda: {
  streamifyResponse(handler: (event: APIGatewayProxyEventV2, stream: Writable) => Promise<void>): unknown;
  HttpResponseStream: { from(stream: Writable, metadata: { statusCode: number; headers: Record<string, string>; cookies: string[] }): Writable };
};

const log = createLogger();
const clients = createAwsClients(endpointsFromEnvironment());
const sessionKey = Buffer.from(Resource.ConsoleSessionKey.value, "base64");
if (sessionKey.length < 32) throw new Error("the ConsoleSessionKey secret must be at least 32 bytes, base64-encoded");
const signIn = Resource.ConsoleSignIn;
const authenticator = new CognitoAuthenticator({
  domainUrl: signIn.domainUrl,
  clientId: signIn.clientId,
  clientSecret: signIn.clientSecret,
  issuer: cognitoIssuer(signIn.userPoolId),
  consoleUrl: signIn.consoleUrl,
  key: sessionKey,
});

/**
 * Function URL (streaming) → the console. Files are streamed from S3 to the browser as they are
 * read. People sign in through the Cognito user pool's managed login (CognitoAuthenticator).
 */
export const handler = awslambda.streamifyResponse(async (event, stream) => {
  const response = await handleConsoleRequest(consoleRequestFromUrlEvent(event), {
    store: new S3ObjectStore(clients.s3, Resource.SurveyData.name),
    ledger: new DynamoIngestLedger(clients.dynamodb, Resource.Ledger.name),
    recipients: new DynamoRecipientStore(clients.dynamodb, Resource.Ledger.name, Resource.RecipientHashKey.value),
    log,
    authenticator,
    sessionKey,
    // Presigned POSTs are signed with this function's role, which may put objects under staging/ only.
    uploadSigner: new S3UploadSigner(clients.s3, Resource.SurveyData.name),
    // Behind the Router, the Host header is the function URL's: S3 sends the browser back to the Router's address.
    publicOrigin: new URL(signIn.consoleUrl).origin,
    now: () => new Date(),
  });
  const out = awslambda.HttpResponseStream.from(stream, { statusCode: response.status, headers: response.headers, cookies: response.cookies });
  const body = response.body;
  await pipeline(typeof body === "string" || body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body), out);
});
