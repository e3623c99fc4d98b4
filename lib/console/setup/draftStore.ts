import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { ObjectStore } from "../../ports/objectStore.ts";

/** How long a draft in progress is kept: a working day and a night (the bucket's lifecycle rule deletes `drafts/` objects after two days). */
export const DRAFT_HOURS = 24;

/** A draft's opaque id in URLs: random, naming nothing about the export or who drafted it. */
export const draftIdSchema = z.string().regex(/^[A-Za-z0-9_-]{24}$/u);

/** A draft in progress, kept between requests: the drafted cycle file, what was found, and the answers given so far. */
export const draftRecordSchema = z.strictObject({
  version: z.literal(1),
  expiresAt: z.iso.datetime(),
  /** The export's file name (shown on the form; the export itself is never kept). */
  exportName: z.string().max(255),
  /** What `asye init` says it found, line by line. */
  found: z.array(z.string().max(4000)).max(1000),
  /** The drafted cycle file, its decisions `TODO: …` (the answers are applied to it, never into it). */
  cycle: z.looseObject({}),
  /** Each form field's answer(s), as typed. */
  answers: z.record(z.string().max(16), z.array(z.string().max(4000)).max(200)),
  /** Another group's export drafted to be merged in, while its columns are matched (see addGroupRoutes.ts). */
  adding: z
    .strictObject({ group: z.string().max(200), exportName: z.string().max(255), cycle: z.looseObject({}) })
    .optional(),
});

/** A draft in progress. */
export type DraftRecord = z.infer<typeof draftRecordSchema>;

/** Where a draft is kept: under `drafts/`, by its opaque id. */
export function draftKey(id: string): string {
  return `drafts/${id}.json`;
}

/** Keeps a new draft under a fresh opaque id, expiring after {@link DRAFT_HOURS}; returns the id. */
export async function createDraft(store: ObjectStore, draft: Omit<DraftRecord, "version" | "expiresAt" | "answers" | "adding">, now: Date): Promise<string> {
  const id = randomBytes(18).toString("base64url");
  const expiresAt = new Date(now.getTime() + DRAFT_HOURS * 3600_000).toISOString();
  await saveDraft(store, id, { version: 1, expiresAt, answers: {}, ...draft });
  return id;
}

/** Writes a draft (its answers so far) back under its id. */
export async function saveDraft(store: ObjectStore, id: string, draft: DraftRecord): Promise<void> {
  await store.put(draftKey(id), JSON.stringify(draftRecordSchema.parse(draft)), "application/json");
}

/** A draft by its id; undefined when there is none, it is unreadable, or it has expired. */
export async function loadDraft(store: ObjectStore, id: string, now: Date): Promise<DraftRecord | undefined> {
  if (!draftIdSchema.safeParse(id).success) return undefined;
  const text = await store.getText(draftKey(id));
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const draft = draftRecordSchema.safeParse(json);
  if (!draft.success || Date.parse(draft.data.expiresAt) <= now.getTime()) return undefined;
  return draft.data;
}
