/** One message to send. `tags` identify it in delivery events (never the address). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  tags: { cycle: string; message: string; group: string; recipient: string };
}

/**
 * Sends mail (SES in AWS, an outbox in S3 locally). `send` resolves when the message was
 * accepted, or throws one of the errors below, which say whether it may have gone.
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** Not sent: the mail service asks us to slow down (a later run may try again). */
export class MailThrottledError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MailThrottledError";
  }
}

/** Not sent, and never will be: the service refused this recipient's address. */
export class RecipientRejectedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RecipientRejectedError";
  }
}

/**
 * Not sent, for every recipient alike: the sender or the account cannot send (sender not
 * verified, sandbox, sending paused, quota). The run stops; no recipient is marked.
 */
export class MailAccountError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MailAccountError";
  }
}

/**
 * Perhaps sent: the request left but no answer came back (a timeout, a dropped connection, a
 * server error). Never retried, so nobody gets a message twice.
 */
export class MailUncertainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MailUncertainError";
  }
}
