import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type { Logger } from "../ports/logger.ts";

/**
 * The one structured logger of a process (Powertools: JSON lines with the Lambda context).
 * Log level comes from `POWERTOOLS_LOG_LEVEL` (default INFO). Never log emails or names.
 */
export function createLogger(serviceName = "asye-survey-analytics"): Logger & PowertoolsLogger {
  return new PowertoolsLogger({ serviceName });
}
