import { formatDateTime } from "../../time/formatDateTime.ts";
import { type Html, html } from "../html.ts";
import { layout } from "../layout.ts";
import { canChange } from "../roles.ts";
import type { Session } from "../session.ts";
import { dataTable, summaryList } from "./govukParts.ts";
import type { GroupHistory, UploadRow, UploadState } from "./uploadHistory.ts";

const STATES: Record<UploadState, { text: string; colour: string; meaning: string }> = {
  queued: { text: "Queued", colour: "govuk-tag--grey", meaning: "Uploaded; ingest has not picked it up yet." },
  processing: { text: "Processing", colour: "govuk-tag--blue", meaning: "Ingest is reading it now." },
  retrying: { text: "Not finished", colour: "govuk-tag--orange", meaning: "Ingest stopped part-way. The queue delivers it again; after five tries it goes to the dead-letter queue and the operators are alerted." },
  accepted: { text: "Accepted", colour: "govuk-tag--green", meaning: "Ingested: its valid responses count (rows with problems are left out and listed in its rejection report)." },
  refused: { text: "Refused", colour: "govuk-tag--red", meaning: "Not ingested: the file could not be read, or too few of its rows are valid. Its rejection report says why." },
};

/** The what-happened page's content: the cycle, each group's uploads, when it was read, and what the person may do. */
export interface WhatHappenedData {
  cycleId: string;
  title: string;
  groups: GroupHistory[];
  shownAt: Date;
  canUpload: boolean;
  recomputable: boolean;
}

/**
 * What happened to a cycle's uploads: each group's uploads with their state, counts, which one is
 * current and its rejection report; upload links and the recompute button for the survey team;
 * an honest "refresh" (no script).
 */
export function whatHappenedPage(data: WhatHappenedData, session: Session): string {
  const changes = session.role !== undefined && canChange(session.role);
  const main = html`<span class="govuk-caption-l">${data.cycleId}</span>
<h1 class="govuk-heading-l">Uploads: what happened</h1>
<p class="govuk-body">Shown at ${data.shownAt.toISOString().slice(11, 19)} UTC. Ingest takes seconds to minutes: <a class="govuk-link" href="/cycles/${data.cycleId}/uploads">refresh this page</a> to see what has changed.</p>
${data.groups.map((group) => groupSection(data.cycleId, group, changes && data.canUpload))}
<h2 class="govuk-heading-m">What each state means</h2>
${summaryList(Object.values(STATES).map((state) => [state.text, state.meaning]))}
${changes && data.recomputable ? recomputeForm(data.cycleId, session.csrf) : ""}`;
  return layout({ title: `Uploads: ${data.title}`, session, main, back: { href: `/cycles/${data.cycleId}`, text: data.title } });
}

function groupSection(cycleId: string, group: GroupHistory, canUpload: boolean): Html {
  const action = !canUpload
    ? ""
    : group.personal
      ? html`<p class="govuk-body">Exports of personal data go to the encrypted area with <code>asye ingest</code>, not through the console.</p>`
      : html`<p class="govuk-body"><a class="govuk-link" href="/cycles/${cycleId}/groups/${group.group}/upload">Upload an export for ${group.group}</a></p>`;
  const uploads =
    group.uploads.length === 0
      ? html`<p class="govuk-body">No uploads yet.</p>`
      : dataTable({
          caption: `Uploads for ${group.group}, newest first`,
          size: "s",
          head: ["Upload", "State", "Rows", "Accepted", "Rejected", "Duplicates", "Rejection report"],
          numeric: [2, 3, 4, 5],
          rows: group.uploads.map((upload) => uploadRow(cycleId, group.group, upload)),
        });
  return html`<h2 class="govuk-heading-m">${group.group}</h2>${uploads}${action}`;
}

function uploadRow(cycleId: string, group: string, upload: UploadRow): (Html | string)[] {
  const state = STATES[upload.state];
  const c = upload.counts;
  const name = html`${upload.file}<br><span class="govuk-body-s">${formatDateTime(upload.uploadedAt)}</span>${upload.current ? html`<br><strong class="govuk-tag govuk-tag--turquoise">Current</strong>` : ""}`;
  const report = upload.reportEtag ? html`<a class="govuk-link" href="/cycles/${cycleId}/groups/${group}/rejections/${upload.reportEtag}">Rejection report<span class="govuk-visually-hidden"> of ${upload.file}</span></a>` : "None";
  return [name, html`<strong class="govuk-tag ${state.colour}">${state.text}</strong>${upload.reason ? html`<br><span class="govuk-body-s">${upload.reason}</span>` : ""}`, c ? String(c.rows) : "–", c ? String(c.accepted) : "–", c ? String(c.rejected) : "–", c ? String(c.duplicates) : "–", report];
}

function recomputeForm(cycleId: string, csrf: string): Html {
  return html`<h2 class="govuk-heading-m">Recompute</h2>
<p class="govuk-body">An accepted upload normally starts a compute by itself. Recompute if the results have not changed after one, after changing a coding file, or if a compute failed.</p>
<form method="post" action="/cycles/${cycleId}/recompute">
<input type="hidden" name="csrf" value="${csrf}">
<button type="submit" class="govuk-button govuk-button--secondary">Recompute the results</button>
</form>`;
}
