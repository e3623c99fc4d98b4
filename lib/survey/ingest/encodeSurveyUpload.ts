import type { EncodeDeps, UploadEncoding } from "../../kinds/cycleKind.ts";
import { StreamedBatch } from "../../ingest/streamedBatch.ts";
import type { UploadRef } from "../../ports/ingestLedger.ts";
import { storageKeys } from "../../storageKeys.ts";
import type { CycleConfig } from "../config/cycleConfig.ts";
import { encodeExport } from "./encodeExport.ts";

/**
 * Reads one group's export into a normalized batch streamed to `normalized/…` as it is read. Kept
 * beside it: the codes of open-text answers (never the text). Once accepted, recipients whose
 * response tokens the export holds are marked as responded.
 */
export async function encodeSurveyUpload(config: CycleConfig, upload: UploadRef, body: AsyncIterable<Uint8Array>, deps: EncodeDeps): Promise<UploadEncoding> {
  const batch = new StreamedBatch(deps.store, storageKeys.normalized(upload.cycleId, upload.group, upload.etag));
  const recipients = deps.recipients;
  const encoded = await batch.encoding(() =>
    encodeExport(body, {
      config,
      group: upload.group,
      file: upload.key,
      ...(recipients ? { hashToken: (token: string) => recipients.hashToken(token) } : {}),
      onWriter: batch.onWriter,
      onProgress: deps.onProgress,
    }),
  );
  return {
    ...batch.encodingOf(encoded),
    async keep() {
      await batch.keep();
      if (Object.keys(encoded.openText).length === 0) return;
      await deps.store.put(
        storageKeys.codedAnswers(upload.cycleId, upload.group, upload.etag),
        JSON.stringify({ cycleId: upload.cycleId, group: upload.group, questions: encoded.openText }),
        "application/json",
      );
    },
    async afterAccepted() {
      if (!recipients || encoded.tokenHashes.size === 0) return;
      const matched = await recipients.markResponded(upload.cycleId, upload.group, [...encoded.tokenHashes], deps.now());
      deps.log.info("recipients marked as responded", { key: upload.key, tokens: encoded.tokenHashes.size, matched });
    },
  };
}
