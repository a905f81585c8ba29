import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import {
  RecordingFileStoredSchema,
  type RecordingFileStored,
  type RecordingResult,
} from '@caunoi/shared';
import type { TrackFile } from './track-recorder';
import { RoomRecorder } from './room-recorder';

const ATTEMPTS = 5;
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/**
 * Hands a recording to the API: each file streamed to `PUT /api/internal/recordings/:id/files/:name`
 * (the API stores it in the attachment store and answers its sha256), then the result with the
 * timing map to `POST …/result`. Retried with backoff; a delivery that never gets through leaves
 * the files in SFU_RECORDING_DIR for an operator (logged).
 */
export class RecordingDelivery {
  constructor(
    private readonly opts: { apiUrl?: string; serviceToken?: string; baseDelayMs?: number },
    private readonly log: Logger,
  ) {}

  async deliver(
    recordingId: string,
    sessionFile: string,
    tracks: TrackFile[],
    durationSeconds: number,
  ): Promise<void> {
    const file = await this.upload(recordingId, 'session.mkv', sessionFile);
    const timing = [];
    for (const t of tracks)
      timing.push(RoomRecorder.timing(t, await this.upload(recordingId, t.fileName, t.path)));
    await this.report(recordingId, {
      status: 'finished',
      durationSeconds: Math.round(durationSeconds * 1000) / 1000,
      file,
      tracks: timing,
    });
  }

  async failed(recordingId: string, reason: string): Promise<void> {
    await this.report(recordingId, { status: 'failed', reason }).catch((err: Error) =>
      this.log.error({ recordingId, err: err.message }, 'recording failure not reported'),
    );
  }

  private async upload(id: string, name: string, path: string): Promise<RecordingFileStored> {
    const res = await this.call(`/api/internal/recordings/${id}/files/${name}`, () => ({
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(createReadStream(path)) as ReadableStream,
      duplex: 'half',
    }));
    return RecordingFileStoredSchema.parse(await res.json());
  }

  private async report(id: string, result: RecordingResult): Promise<void> {
    const res = await this.call(`/api/internal/recordings/${id}/result`, () => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(result),
    }));
    await res.body?.cancel();
  }

  private async call(path: string, init: () => RequestInit & { duplex?: 'half' }) {
    const { apiUrl, serviceToken } = this.opts;
    if (!apiUrl || !serviceToken)
      throw new Error('API_URL/SFU_SERVICE_TOKEN unset: cannot deliver');
    let last = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const i = init();
        const res = await fetch(`${apiUrl}${path}`, {
          ...i,
          headers: { ...(i.headers as object), authorization: `Bearer ${serviceToken}` },
          signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
        } as RequestInit);
        if (res.ok) return res;
        last = `${res.status} ${(await res.text().catch(() => '')).slice(0, 300)}`;
        // Refused for good (bad input, unknown recording): retrying changes nothing.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
          break;
      } catch (err) {
        last = (err as Error).message;
      }
      this.log.warn({ path, attempt, last }, 'recording delivery failed; will retry');
      await new Promise((r) =>
        setTimeout(r, (this.opts.baseDelayMs ?? 1_000) * 2 ** (attempt - 1)),
      );
    }
    throw new Error(`API refused ${path}: ${last}`);
  }
}
