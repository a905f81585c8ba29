import { z } from 'zod';
import { SFU_INTERNAL_PREFIX } from './sfu-internal';

/**
 * Recording of a session, server-side in the SFU, one file per session with every track. The API
 * decides (consent of every covered patient) and commands the SFU; the SFU only knows the session
 * and recording ids, records, and reports the result back with the files.
 */

/** `recording` while the SFU records (and, after stop, until it has delivered the files). */
export const RECORDING_STATUSES = ['recording', 'finished', 'failed'] as const;
export const RecordingStatusSchema = z.enum(RECORDING_STATUSES);
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>;

/** What a track carries: a camera or microphone, or a screen share. */
export const RECORDING_TRACK_KINDS = ['audio', 'video'] as const;
export const RecordingTrackKindSchema = z.enum(RECORDING_TRACK_KINDS);

/** File names the SFU may deliver: the session file and one file per track. */
export const RECORDING_FILE_NAME = /^(session\.mkv|track-\d{1,3}\.(webm|mkv))$/;

/** One entry of the timing map: where a track sits on the recording's time line. */
export const RecordingTrackSchema = z.object({
  /** Position in the session file (stream index) and in `GET /recordings/:id/tracks/:n`. */
  index: z.number().int().min(0).max(999),
  /** The SFU's producer id (not a person's id). */
  trackId: z.string().min(1).max(100),
  kind: RecordingTrackKindSchema,
  /** `mic`, `camera` or `screen`. */
  source: z.string().min(1).max(20),
  /** Display name and site as shown in the room (from the join token). */
  displayName: z.string().max(200),
  site: z.string().max(200),
  /** Seconds from the start of the recording. */
  startOffset: z.number().min(0),
  endOffset: z.number().min(0),
  codec: z.string().max(50),
  /** The track's own file in the attachment store (served for playback). */
  fileName: z.string().regex(RECORDING_FILE_NAME),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().min(0),
  mediaType: z.string().max(100),
});
export type RecordingTrack = z.infer<typeof RecordingTrackSchema>;

/** `GET /recordings/:id`, items of `GET /sessions/:id/recordings`, answers of start/stop. */
export const RecordingSchema = z.object({
  id: z.uuid(),
  sessionId: z.uuid(),
  consultationIds: z.array(z.uuid()),
  status: RecordingStatusSchema,
  startedAt: z.iso.datetime({ offset: true }),
  /** When the stop was asked (or the recording failed). */
  endedAt: z.iso.datetime({ offset: true }).nullable(),
  startedBy: z.object({ id: z.uuid(), fullName: z.string() }),
  durationSeconds: z.number().nullable(),
  sizeBytes: z.number().int().nullable(),
  /** Of the session file (all tracks muxed). */
  sha256: z.string().nullable(),
  tracks: z.array(RecordingTrackSchema),
  failureReason: z.string().nullable(),
  /** A covered patient withdrew the recording consent since: kept (the law), but flagged. */
  consentWithdrawn: z.boolean(),
});
export type Recording = z.infer<typeof RecordingSchema>;

/** Body of `POST /recordings/:id/download` (admins only, the reason is audited). */
export const RecordingDownloadSchema = z.object({
  reason: z.string().trim().min(5).max(500),
});
export type RecordingDownload = z.infer<typeof RecordingDownloadSchema>;

/** A chat message of the session placed on the recording's time line (playback). */
export const RecordingChatItemSchema = z.object({
  at: z.iso.datetime({ offset: true }),
  /** Seconds from the start of the recording (negative: before it). */
  offset: z.number(),
  author: z.string(),
  text: z.string(),
});
export type RecordingChatItem = z.infer<typeof RecordingChatItemSchema>;

// ------------------------------------------------------------------ API → SFU

/** `POST /internal/sessions/:sessionId/recording/start|stop {recordingId}` → 202. */
export const sfuRecordingPath = (sessionId: string, action: 'start' | 'stop'): string =>
  `${SFU_INTERNAL_PREFIX}/sessions/${encodeURIComponent(sessionId)}/recording/${action}`;
export const SfuRecordingCommandSchema = z.object({ recordingId: z.uuid() });
export type SfuRecordingCommand = z.infer<typeof SfuRecordingCommandSchema>;

// ------------------------------------------------------------------ SFU → API

/** `PUT /api/internal/recordings/:id/files/:name` (raw bytes) → `{ sha256, sizeBytes }`. */
export const RecordingFileStoredSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().min(0),
});
export type RecordingFileStored = z.infer<typeof RecordingFileStoredSchema>;

/**
 * `POST /api/internal/recordings/:id/result`: the recording is over. `finished` carries the
 * session file and the timing map (every file uploaded before); `failed` carries the reason.
 */
export const RecordingResultSchema = z
  .object({
    status: z.enum(['finished', 'failed']),
    durationSeconds: z.number().min(0).optional(),
    file: RecordingFileStoredSchema.optional(),
    tracks: z.array(RecordingTrackSchema).max(200).optional(),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .superRefine((r, ctx) => {
    const needed = r.status === 'finished' ? ['durationSeconds', 'file', 'tracks'] : ['reason'];
    for (const key of needed)
      if (r[key as keyof typeof r] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `required when ${r.status}` });
  });
export type RecordingResult = z.infer<typeof RecordingResultSchema>;

/** Signalling event `recordingState`, and `recording` of the join answer. */
export const RecordingStateEventSchema = z.object({
  recording: z.boolean(),
  /** When it started (ISO), while recording. */
  since: z.string().optional(),
});
export type RecordingStateEvent = z.infer<typeof RecordingStateEventSchema>;
