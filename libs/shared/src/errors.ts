import { z } from 'zod';

/**
 * Machine-readable kinds of REST failure (`code` in the error body), for clients that act on the
 * kind rather than on the wording; `message` stays the human explanation.
 */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'forbidden',
  'conflict',
  'double_booked',
  /** An emergency request someone else claimed first (details name them). */
  'already_claimed',
  'consent_withdrawn',
  'consent_missing',
  'minutes_version_changed',
  'session_cancelled',
  'session_ended',
  'room_not_open',
  'room_closed',
  'database_unavailable',
  'sfu_unavailable',
  /** The facility has no PACS configured (409). */
  'pacs_not_configured',
  /** The PACS could not be reached (424): connection refused, DNS, TLS. */
  'pacs_unreachable',
  /** The PACS did not answer in time (424). */
  'pacs_timeout',
  /** The PACS refused the stored credentials (424: our configuration, not the caller's sign-in). */
  'pacs_auth_failed',
  /** The PACS answered something that is not DICOMweb (424). */
  'pacs_bad_answer',
  /** A secret cannot be stored encrypted: STORAGE_KEY is not set (409). */
  'storage_key_missing',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Error body of every REST failure (SPEC "REST contract"). `details` names the offending fields. */
export const ApiErrorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  /** Machine-readable reason where a client acts on it (one of ERROR_CODES, e.g. `database_unavailable`, 503). */
  code: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** Acknowledgement shape for every socket.io request (SFU signalling and collaboration plane). */
export type Ack<T> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export const ACK_ERROR_CODES = [
  'invalid_message',
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'conflict',
  'limit_exceeded',
  /** A dependency (the database) is down: retry later, the event was not applied. */
  'unavailable',
  /** The session was ended (SFU): joining it again is refused. */
  'session_ended',
  'internal',
] as const;
export type AckErrorCode = (typeof ACK_ERROR_CODES)[number];
