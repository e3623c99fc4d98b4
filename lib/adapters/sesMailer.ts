import { SendEmailCommand, SESv2Client, SESv2ServiceException } from "@aws-sdk/client-sesv2";
import { AdaptiveRetryStrategy } from "@smithy/core/retry";
import { MailAccountError, type Mailer, MailThrottledError, MailUncertainError, type OutgoingMail, RecipientRejectedError } from "../ports/mailer.ts";
import { redactEmails } from "../privacy/redactEmails.ts";

const THROTTLING = new Set(["TooManyRequestsException", "ThrottlingException"]);
/** Refusals that concern one address (its syntax), not the sender or the account. */
const BAD_ADDRESS = /illegal address|missing final '@domain'|invalid (email )?address|local address contains|domain contains illegal|domain ends with dot/i;

/**
 * The SDK's adaptive retry (client-side rate limiting on throttling), but for throttling only:
 * a send that may have reached SES (a timeout, a 5xx) is never repeated.
 */
class ThrottlingOnlyRetryStrategy extends AdaptiveRetryStrategy {
  override async refreshRetryTokenForRetry(...args: Parameters<AdaptiveRetryStrategy["refreshRetryTokenForRetry"]>) {
    if (args[1].errorType !== "THROTTLING") throw new Error("only throttling is retried for a send");
    return super.refreshRetryTokenForRetry(...args);
  }
}

/** An SES v2 client whose retries are safe for sends: throttling only, up to five attempts. */
export function sesClientForSending(config: ConstructorParameters<typeof SESv2Client>[0] = {}): SESv2Client {
  return new SESv2Client({ ...config, retryStrategy: new ThrottlingOnlyRetryStrategy(async () => 5) });
}

/**
 * Sends mail through SES v2, tagging each message so bounce and complaint events can be traced
 * back, and says what a failure means: throttled (not sent), a bad address (not sent, that
 * recipient only), the sender or account unable to send (not sent, stop), or uncertain (the
 * request left: perhaps sent). Error messages lose any address they quote.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [mail.to] },
          Content: { Simple: { Subject: { Data: mail.subject }, Body: { Text: { Data: mail.text } } } },
          EmailTags: Object.entries(mail.tags).map(([Name, Value]) => ({ Name, Value })),
          ConfigurationSetName: this.configurationSet,
        }),
      );
    } catch (error) {
      throw classify(error);
    }
  }
}

function classify(error: unknown): Error {
  const message = redactEmails(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  if (error instanceof SESv2ServiceException) {
    if (THROTTLING.has(error.name)) return new MailThrottledError(message);
    if (error.$fault === "server") return new MailUncertainError(message);
    if (error.name === "BadRequestException" && BAD_ADDRESS.test(error.message)) return new RecipientRejectedError(message);
    // Sender not verified, sandbox, sending paused, account suspended, quota, configuration:
    // the same for everyone, so no recipient is to blame.
    return new MailAccountError(message);
  }
  // The request may have reached SES: a timeout, a reset connection, an abort.
  return new MailUncertainError(message);
}
