import type { Mailer, OutgoingMail } from "../ports/mailer.ts";
import type { ObjectStore } from "../ports/objectStore.ts";

/**
 * The local runtime's mailer: each message becomes a JSON object under
 * `outbox/{cycle}/{message}/{group}/{recipient hash}.json` in S3 instead of an email.
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly store: ObjectStore) {}

  async send(mail: OutgoingMail): Promise<void> {
    const { cycle, message, group, recipient } = mail.tags;
    await this.store.put(
      `outbox/${cycle}/${message}/${group}/${recipient}.json`,
      `${JSON.stringify(mail, null, 2)}\n`,
      "application/json",
    );
  }
}
