import { formatDateTime, REPORT_TIME_ZONE } from "../../time/formatDateTime.ts";
import type { FieldError } from "../errorSummary.ts";
import { errorSummary } from "../errorSummary.ts";
import { type Html, html } from "../html.ts";
import { layout } from "../layout.ts";
import type { Session } from "../session.ts";
import type { GroupListStatus, MessageStatus, OutcomeCounts, ReminderStatus } from "./reminderStatus.ts";

/** What the reminders page shows: the cycle, its groups, and its reminders' state. */
export interface RemindersPageData {
  cycleId: string;
  title: string;
  groups: readonly { id: string; label: string }[];
  status: ReminderStatus;
  /** The largest recipient list accepted, in bytes. */
  maxListBytes: number;
  /** The group chosen in a refused upload, so the form keeps it. */
  chosenGroup?: string;
}

/** An instant as people in England read it, with the day of the week (a schedule reads better so): "Wednesday 15 January 2025 at 09:00 GMT" (BST in summer). */
export function londonTime(at: Date | string): string {
  return formatDateTime(at, REPORT_TIME_ZONE, { weekday: true });
}

/** The reminders page of a survey cycle: pause or resume, the schedule with who gets each message, the lists, and the upload form. */
export function remindersPage(data: RemindersPageData, session: Session, errors: readonly FieldError[] = []): string {
  const main = html`${errorSummary(errors)}
<span class="govuk-caption-l">${data.title}</span>
<h1 class="govuk-heading-l">Invitations and reminders</h1>
${pauseSection(data, session)}
${scheduleTable(data.status.messages, data.status.pausedAt !== undefined)}
<p class="govuk-body"><a class="govuk-link" href="/cycles/${data.cycleId}/reminders/sends">The send log: every send by outcome</a></p>
${listsTable(data.status.lists)}
${uploadForm(data, session, errors)}`;
  return layout({ title: `Invitations and reminders: ${data.title}`, session, main, back: { href: `/cycles/${data.cycleId}`, text: "Back to the cycle" } });
}

function pauseSection(data: RemindersPageData, session: Session): Html {
  const paused = data.status.pausedAt;
  const action = paused === undefined ? "pause" : "resume";
  return html`<h2 class="govuk-heading-m">Sending</h2>
<p class="govuk-body">${
    paused === undefined
      ? html`<strong class="govuk-tag govuk-tag--green">Running</strong> The hourly run sends each message when it is due.`
      : html`<strong class="govuk-tag govuk-tag--orange">Paused</strong> Paused since ${londonTime(paused)}: the hourly run sends nothing for this cycle. When you resume, the message due then goes to everyone who has not had it.`
  }</p>
<form method="post" action="/cycles/${data.cycleId}/reminders/${action}">
<input type="hidden" name="csrf" value="${session.csrf}">
<button type="submit" class="govuk-button ${paused === undefined ? "govuk-button--warning" : ""}">${paused === undefined ? "Pause invitations and reminders" : "Resume invitations and reminders"}</button>
</form>`;
}

const OUTCOME_WORDS: Record<keyof OutcomeCounts, string> = { sent: "sent", unconfirmed: "unconfirmed", bounced: "bounced", refused: "refused", sending: "being sent" };

/** A group's line in the schedule: what went, and who the run would mail. */
function groupLine(group: MessageStatus["groups"][number]): string {
  const done = (Object.keys(OUTCOME_WORDS) as (keyof OutcomeCounts)[]).filter((outcome) => group.outcomes[outcome] > 0).map((outcome) => `${group.outcomes[outcome]} ${OUTCOME_WORDS[outcome]}`);
  const parts = [...done, ...(group.wouldMail === undefined ? [] : [`${group.wouldMail} to mail`])];
  return `${group.label}: ${parts.length > 0 ? parts.join(", ") : "nothing sent"}`;
}

const WHEN_TAGS: Record<MessageStatus["when"], Html> = {
  past: html`<strong class="govuk-tag govuk-tag--grey">Past</strong>`,
  due: html`<strong class="govuk-tag govuk-tag--blue">Due now</strong>`,
  upcoming: html`<strong class="govuk-tag govuk-tag--grey">To come</strong>`,
};

function scheduleTable(messages: readonly MessageStatus[], paused: boolean): Html {
  return html`<h2 class="govuk-heading-m">Schedule</h2>
<p class="govuk-body">Times are in Europe/London. "To mail" is who the hourly run would mail at that time if the lists stayed as they are now (people who respond, bounce or opt out drop out).</p>
<div class="console-scroll" tabindex="0" role="region" aria-label="Schedule, scrolls sideways">
<table class="govuk-table">
<caption class="govuk-table__caption govuk-visually-hidden">Each message, when it goes, and to whom in each group</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Message</th><th scope="col" class="govuk-table__header">Sends at</th><th scope="col" class="govuk-table__header">To whom</th></tr></thead>
<tbody class="govuk-table__body">
${messages.map(
  (status) => html`<tr class="govuk-table__row">
<th scope="row" class="govuk-table__header">${messageName(status.message.id)}<br>${paused && status.when !== "past" ? html`<strong class="govuk-tag govuk-tag--orange">Paused</strong>` : WHEN_TAGS[status.when]}</th>
<td class="govuk-table__cell">${londonTime(status.message.sendAt)}</td>
<td class="govuk-table__cell"><ul class="govuk-list">${status.groups.map((group) => html`<li>${groupLine(group)}</li>`)}</ul></td>
</tr>`,
)}
</tbody>
</table>
</div>`;
}

/** "Invitation", "Reminder 1", … */
export function messageName(id: string): string {
  return id === "invitation" ? "Invitation" : id.replace(/^reminder-(\d+)$/, "Reminder $1");
}

function listsTable(lists: readonly GroupListStatus[]): Html {
  return html`<h2 class="govuk-heading-m">Recipient lists</h2>
<div class="console-scroll" tabindex="0" role="region" aria-label="Recipient lists, scroll sideways">
<table class="govuk-table">
<caption class="govuk-table__caption govuk-visually-hidden">How many people each group's list holds, and what has happened to them</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">Group</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">On the list</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Opted out</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Responded</th>
<th scope="col" class="govuk-table__header govuk-table__header--numeric">Bounced, complained or refused</th>
</tr></thead>
<tbody class="govuk-table__body">
${lists.map(
  (list) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${list.label}</th>${[list.onList, list.optedOut, list.responded, list.undeliverable].map((n) => html`<td class="govuk-table__cell govuk-table__cell--numeric">${n}</td>`)}</tr>`,
)}
</tbody>
</table>
</div>`;
}

function uploadForm(data: RemindersPageData, session: Session, errors: readonly FieldError[]): Html {
  const groupError = errors.find((error) => error.field === "group");
  const fileError = errors.find((error) => error.field === "recipient-file");
  return html`<h2 class="govuk-heading-m">Upload a recipient list</h2>
<p class="govuk-body">A CSV file with a header row: <code>email</code> (required), and optionally <code>name</code>, <code>token</code> (the survey tool's response token) and <code>opted_out</code> (<code>yes</code> never to mail). People already on the list keep what has happened to them; nobody is removed. At most ${Math.round(data.maxListBytes / 1024 / 1024)} MB.</p>
<form method="post" action="/cycles/${data.cycleId}/reminders/recipients" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrf" value="${session.csrf}">
<div class="govuk-form-group${groupError ? " govuk-form-group--error" : ""}">
<fieldset class="govuk-fieldset"${groupError ? html` aria-describedby="group-error"` : ""}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Group</legend>
${groupError ? html`<p id="group-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${groupError.message}</p>` : ""}
<div class="govuk-radios govuk-radios--small" data-module="govuk-radios">
${data.groups.map(
  (group, index) => html`<div class="govuk-radios__item">
<input class="govuk-radios__input" id="${index === 0 ? "group" : `group-${group.id}`}" name="group" type="radio" value="${group.id}"${data.chosenGroup === group.id ? " checked" : ""}>
<label class="govuk-label govuk-radios__label" for="${index === 0 ? "group" : `group-${group.id}`}">${group.label}</label>
</div>`,
)}
</div>
</fieldset>
</div>
<div class="govuk-form-group${fileError ? " govuk-form-group--error" : ""}">
<label class="govuk-label govuk-label--s" for="recipient-file">Recipient list (CSV)</label>
${fileError ? html`<p id="recipient-file-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${fileError.message}</p>` : ""}
<input class="govuk-file-upload${fileError ? " govuk-file-upload--error" : ""}" id="recipient-file" name="list" type="file" accept=".csv,text/csv"${fileError ? html` aria-describedby="recipient-file-error"` : ""}>
</div>
<button type="submit" class="govuk-button">Upload recipient list</button>
</form>`;
}
