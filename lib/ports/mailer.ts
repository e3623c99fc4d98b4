/** One message to send. `tags` identify it in delivery events (never the address). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  tags: { cycle: string; message: string; group: string; recipient: string };
}

/** Sends mail (SES in AWS, an outbox in S3 locally). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** The mail service asks us to slow down; retry later. */
export class MailThrottledError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MailThrottledError";
  }
}

/** The mail service refused this message for good (e.g. a rejected address). */
export class MailRejectedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MailRejectedError";
  }
}
