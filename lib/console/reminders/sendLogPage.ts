import { type Html, html } from "../html.ts";
import { layout } from "../layout.ts";
import type { Session } from "../session.ts";
import { londonTime, messageName } from "./remindersPage.ts";
import { type LoggedSend, type OutcomeCounts, type ReminderStatus, SEND_OUTCOMES, type SendOutcome, countOutcomes } from "./reminderStatus.ts";

/** The most sends listed one by one (the counts above the list always cover every send). */
export const SENDS_LISTED = 500;

const OUTCOME_HEADINGS: Record<SendOutcome, string> = { sent: "Sent", unconfirmed: "Unconfirmed", bounced: "Bounced", refused: "Refused", sending: "Being sent" };
const OUTCOME_TAGS: Record<SendOutcome, string> = { sent: "govuk-tag--green", unconfirmed: "govuk-tag--yellow", bounced: "govuk-tag--red", refused: "govuk-tag--red", sending: "govuk-tag--grey" };

/** The send log of a survey cycle: counts by message, group and outcome, then each send (by pseudonym, never an address). */
export function sendLogPage(data: { cycleId: string; title: string; groups: readonly { id: string; label: string }[]; status: ReminderStatus }, session: Session): string {
  const labels = new Map(data.groups.map((group) => [group.id, group.label]));
  const main = html`<span class="govuk-caption-l">${data.title}</span>
<h1 class="govuk-heading-l">Send log</h1>
<p class="govuk-body"><strong>Sent</strong>: SES accepted it. <strong>Unconfirmed</strong>: no answer came back from SES, so it may have gone; it is never sent again and counts as sent. <strong>Bounced</strong>: sent, then the address bounced (the last message the person was sent). <strong>Refused</strong>: SES refused the address. <strong>Being sent</strong>: claimed by a run that has not recorded the outcome yet.</p>
${countsTable(data.status, labels)}
${sendsTable(data.status.sends, labels)}`;
  return layout({ title: `Send log: ${data.title}`, session, main, back: { href: `/cycles/${data.cycleId}/reminders`, text: "Back to invitations and reminders" } });
}

function countsTable(status: ReminderStatus, labels: Map<string, string>): Html {
  const rows = status.messages.flatMap((message) => message.groups.map((group) => ({ name: `${messageName(message.message.id)}, ${labels.get(group.group) ?? group.group}`, counts: group.outcomes })));
  const total = countOutcomes(status.sends);
  return html`<h2 class="govuk-heading-m">By outcome</h2>
<div class="console-scroll" tabindex="0" role="region" aria-label="Sends by outcome, scrolls sideways">
<table class="govuk-table">
<caption class="govuk-table__caption govuk-visually-hidden">Sends of each message to each group, by outcome</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Message and group</th>${SEND_OUTCOMES.map((outcome) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${OUTCOME_HEADINGS[outcome]}</th>`)}</tr></thead>
<tbody class="govuk-table__body">
${rows.map((row) => countsRow(row.name, row.counts))}
${countsRow("All messages", total)}
</tbody>
</table>
</div>`;
}

function countsRow(name: string, counts: OutcomeCounts): Html {
  return html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${name}</th>${SEND_OUTCOMES.map((outcome) => html`<td class="govuk-table__cell govuk-table__cell--numeric">${counts[outcome]}</td>`)}</tr>`;
}

function sendsTable(sends: readonly LoggedSend[], labels: Map<string, string>): Html {
  if (sends.length === 0) return html`<h2 class="govuk-heading-m">Each send</h2><p class="govuk-body">Nothing has been sent yet.</p>`;
  const shown = sends.slice(0, SENDS_LISTED);
  return html`<h2 class="govuk-heading-m">Each send</h2>
<p class="govuk-body">${shown.length < sends.length ? `The ${shown.length} most recent of ${sends.length} sends` : `All ${sends.length} sends`}, newest first. Each person is shown by the pseudonym the logs use (a keyed hash of the address), never by their address.</p>
<div class="console-scroll" tabindex="0" role="region" aria-label="Each send, scrolls sideways">
<table class="govuk-table">
<caption class="govuk-table__caption govuk-visually-hidden">Each send with its outcome</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">Message</th><th scope="col" class="govuk-table__header">Group</th><th scope="col" class="govuk-table__header">Person</th><th scope="col" class="govuk-table__header">Outcome</th>
</tr></thead>
<tbody class="govuk-table__body">
${shown.map(
  (send) => html`<tr class="govuk-table__row">
<td class="govuk-table__cell">${send.at === undefined ? "" : londonTime(send.at)}</td>
<td class="govuk-table__cell">${messageName(send.messageId)}</td>
<td class="govuk-table__cell">${labels.get(send.group) ?? send.group}</td>
<td class="govuk-table__cell"><code>${send.recipient}</code></td>
<td class="govuk-table__cell"><strong class="govuk-tag ${OUTCOME_TAGS[send.outcome]}">${OUTCOME_HEADINGS[send.outcome]}</strong></td>
</tr>`,
)}
</tbody>
</table>
</div>`;
}
