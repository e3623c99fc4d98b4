import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";

/** Endpoint overrides for servers that speak the AWS APIs locally (s3rver, DynamoDB Local). */
export interface Endpoints {
  s3?: string;
  dynamodb?: string;
}

/**
 * Builds the SDK clients. In AWS no endpoints are given; locally they point at s3rver and
 * DynamoDB Local (read from `ASYE_S3_ENDPOINT` / `ASYE_DYNAMODB_ENDPOINT` by the handlers).
 */
export function createAwsClients(endpoints: Endpoints = {}): {
  s3: S3Client;
  dynamodb: DynamoDBClient;
} {
  const local = endpoints.s3 !== undefined || endpoints.dynamodb !== undefined;
  const credentials = local ? { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } : undefined;
  const region = local ? "eu-west-2" : undefined;
  return {
    s3: new S3Client({
      ...(endpoints.s3 ? { endpoint: endpoints.s3, forcePathStyle: true } : {}),
      ...(credentials ? { credentials, region } : {}),
    }),
    dynamodb: new DynamoDBClient({
      ...(endpoints.dynamodb ? { endpoint: endpoints.dynamodb } : {}),
      ...(credentials ? { credentials, region } : {}),
    }),
  };
}

/** The endpoint overrides in the environment, if any. */
export function endpointsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Endpoints {
  return {
    ...(env.ASYE_S3_ENDPOINT ? { s3: env.ASYE_S3_ENDPOINT } : {}),
    ...(env.ASYE_DYNAMODB_ENDPOINT ? { dynamodb: env.ASYE_DYNAMODB_ENDPOINT } : {}),
  };
}
