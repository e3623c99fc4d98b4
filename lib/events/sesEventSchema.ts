import { z } from "zod";

/** An SES event as published to SNS (bounce or complaint), with the tags the mailer set. */
export const sesEventSchema = z.object({
  eventType: z.string(),
  bounce: z.object({ bounceType: z.string() }).loose().optional(),
  mail: z
    .object({
      tags: z.object({
        cycle: z.array(z.string()).min(1),
        group: z.array(z.string()).min(1),
        recipient: z.array(z.string()).min(1),
      }).loose(),
    })
    .loose(),
}).loose();

/** An SNS notification carrying SES events as JSON messages. */
export const snsEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ Message: z.string() }).loose() }).loose()),
});

/** What a delivery event means for the recipient, if anything. */
export function undeliverableKind(event: z.infer<typeof sesEventSchema>): "bounce" | "complaint" | undefined {
  if (event.eventType === "Complaint") return "complaint";
  // Only permanent bounces stop further mail; a full mailbox may recover.
  if (event.eventType === "Bounce" && event.bounce?.bounceType === "Permanent") return "bounce";
  return undefined;
}
