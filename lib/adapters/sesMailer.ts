import { SendEmailCommand, type SESv2Client, SESv2ServiceException } from "@aws-sdk/client-sesv2";
import { MailRejectedError, type Mailer, MailThrottledError, type OutgoingMail } from "../ports/mailer.ts";

const THROTTLING = new Set(["TooManyRequestsException", "LimitExceededException", "ThrottlingException"]);
const REJECTED = new Set(["MessageRejected", "BadRequestException"]);

/** Sends mail through SES v2, tagging each message so bounce and complaint events can be traced back. */
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
      if (error instanceof SESv2ServiceException) {
        if (THROTTLING.has(error.name)) throw new MailThrottledError(error.message, { cause: error });
        if (REJECTED.has(error.name)) throw new MailRejectedError(error.message, { cause: error });
      }
      throw error;
    }
  }
}
