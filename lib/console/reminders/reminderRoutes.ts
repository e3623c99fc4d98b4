import { z } from "zod";
import { loadCycle } from "../../config/cycleStore.ts";
import { asCycleOf } from "../../kinds/cycleKind.ts";
import type { RecipientStore } from "../../ports/recipientStore.ts";
import type { CycleConfig } from "../../survey/config/cycleConfig.ts";
import { surveyKind } from "../../survey/kind.ts";
import { type ConsoleRequest, type ConsoleResponse, redirect, respond } from "../consoleHttp.ts";
import type { ConsoleDeps } from "../consoleDeps.ts";
import type { Route } from "../consoleRoutes.ts";
import { errorPage } from "../errorPage.ts";
import type { Role } from "../roles.ts";
import type { Session } from "../session.ts";
import { MAX_LIST_BYTES, uploadRecipientList, uploadedPage } from "./recipientUpload.ts";
import { reminderStatus } from "./reminderStatus.ts";
import { remindersPage } from "./remindersPage.ts";
import { sendLogPage } from "./sendLogPage.ts";

/**
 * The survey team only, for reading too. Reminders are an operation on personal data (who is on
 * each list, who responded or bounced); a report author's work needs none of it (the published
 * Table 6 already gives links delivered and response rates), so by data minimisation they are
 * refused here with 403, as for any change.
 */
const SURVEY_TEAM: readonly Role[] = ["survey-team"];
const HTML_TYPE = { "content-type": "text/html; charset=utf-8" };
const cycleIdSchema = z.string().max(64).regex(/^[a-z0-9][a-z0-9-]*$/);
const BASE = String.raw`^\/cycles\/([^/]+)\/reminders`;

/** The reminders pages of a survey cycle (issue 23, item 6): spread into the console's routes. */
export const REMINDER_ROUTES: readonly Route[] = [
  { method: "GET", pattern: new RegExp(`${BASE}$`), roles: SURVEY_TEAM, handle: (params, _r, session, deps) => withCycle(params, session, deps, showReminders) },
  { method: "GET", pattern: new RegExp(`${BASE}\\/sends$`), roles: SURVEY_TEAM, handle: (params, _r, session, deps) => withCycle(params, session, deps, showSendLog) },
  { method: "POST", pattern: new RegExp(`${BASE}\\/recipients$`), roles: SURVEY_TEAM, handle: (params, request, session, deps) => withCycle(params, session, deps, (c) => uploadList(c, request)) },
  { method: "POST", pattern: new RegExp(`${BASE}\\/pause$`), roles: SURVEY_TEAM, handle: (params, _r, session, deps) => withCycle(params, session, deps, (c) => setPaused(c, true)) },
  { method: "POST", pattern: new RegExp(`${BASE}\\/resume$`), roles: SURVEY_TEAM, handle: (params, _r, session, deps) => withCycle(params, session, deps, (c) => setPaused(c, false)) },
];

/** A reminders request's context: the survey cycle, the session, the recipient store and the time. */
interface ReminderContext {
  config: CycleConfig;
  session: Session;
  recipients: RecipientStore;
  now: Date;
}

/** Runs `handle` on the path's survey cycle; 404 for no such cycle, a kind that sends no reminders, or a console without a recipient store. */
async function withCycle([id]: string[], session: Session, deps: ConsoleDeps, handle: (context: ReminderContext) => Promise<ConsoleResponse>): Promise<ConsoleResponse> {
  const cycleId = cycleIdSchema.safeParse(id);
  if (!cycleId.success || deps.recipients === undefined) return errorPage(404, "There is no such cycle.", session);
  const survey = asCycleOf(await loadCycle(deps.store, cycleId.data), surveyKind);
  if (survey === undefined) return errorPage(404, "Only annual-survey cycles send invitations and reminders.", session);
  return handle({ config: survey.config, session, recipients: deps.recipients, now: deps.now() });
}

function pageData(context: ReminderContext) {
  const { config } = context;
  return { cycleId: config.id, title: config.title ?? config.id, groups: config.groups.map((group) => ({ id: group.id, label: group.label })) };
}

async function showReminders(context: ReminderContext): Promise<ConsoleResponse> {
  const status = await reminderStatus(context.config, context.recipients, context.now);
  return respond(200, HTML_TYPE, remindersPage({ ...pageData(context), status, maxListBytes: MAX_LIST_BYTES }, context.session));
}

async function showSendLog(context: ReminderContext): Promise<ConsoleResponse> {
  const status = await reminderStatus(context.config, context.recipients, context.now);
  return respond(200, HTML_TYPE, sendLogPage({ ...pageData(context), status }, context.session));
}

async function uploadList(context: ReminderContext, request: ConsoleRequest): Promise<ConsoleResponse> {
  const { config, recipients, now, session } = context;
  const outcome = await uploadRecipientList(request, { cycleId: config.id, groups: config.groups.map((group) => group.id), recipients, now });
  if (!outcome.ok) {
    const status = await reminderStatus(config, recipients, now);
    return respond(400, HTML_TYPE, remindersPage({ ...pageData(context), status, maxListBytes: MAX_LIST_BYTES, chosenGroup: outcome.chosenGroup }, session, outcome.errors));
  }
  const groupLabel = config.groups.find((group) => group.id === outcome.group)!.label;
  return respond(200, HTML_TYPE, uploadedPage({ cycleId: config.id, title: config.title ?? config.id, groupLabel, outcome }, session));
}

/** Pauses or resumes the cycle's reminders (the hourly run reads it); doing it twice changes nothing. */
async function setPaused(context: ReminderContext, paused: boolean): Promise<ConsoleResponse> {
  await context.recipients.setRemindersPaused(context.config.id, paused, context.now);
  return redirect(`/cycles/${context.config.id}/reminders`);
}
