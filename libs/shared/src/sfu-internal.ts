import { z } from 'zod';

/**
 * Commands the API sends to the SFU over HTTP on the SFU's signalling port, authorised with
 * `Authorization: Bearer <SFU_SERVICE_TOKEN>` (the secret the SFU already uses to report
 * attendance). Every command lives under this prefix.
 */
export const SFU_INTERNAL_PREFIX = '/internal';

/** `POST /internal/sessions/:sessionId/end` → 204 (also when the SFU has no room: idempotent). */
export const sfuEndSessionPath = (sessionId: string): string =>
  `${SFU_INTERNAL_PREFIX}/sessions/${encodeURIComponent(sessionId)}/end`;

export const SfuEndSessionParamsSchema = z.object({ sessionId: z.uuid() });
export const SfuEndSessionRequestSchema = z.object({
  /** Shown to the participants; e.g. `ended_by_chair`, `ended_after_schedule`, `cancelled`. */
  reason: z.string().trim().min(1).max(200).optional(),
});
export type SfuEndSessionRequest = z.infer<typeof SfuEndSessionRequestSchema>;

/** Reason the SFU uses when the command names none. */
export const SESSION_ENDED_DEFAULT_REASON = 'ended';

/** Server event `sessionEnded` sent to every peer of the room before it closes. */
export const SessionEndedEventSchema = z.object({
  sessionId: z.uuid(),
  reason: z.string(),
});
export type SessionEndedEvent = z.infer<typeof SessionEndedEventSchema>;
