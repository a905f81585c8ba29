import { z } from 'zod';

/**
 * A session (the video conference booked for one or more requests): `scheduled` until someone is
 * admitted to the media room inside its time (a join token alone, or a test join before the start,
 * does not start it), then `in_progress`; `ended` when the chair or an organising coordinator ends
 * it, or by itself once it is over (`endsAt` + grace) and nobody is in the room; `cancelled` (only
 * before it started) frees its bookings. Once ended or cancelled nobody may join it again.
 */
export const SESSION_STATUSES = ['scheduled', 'in_progress', 'ended', 'cancelled'] as const;
export const SessionStatusSchema = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/** States in which nobody will meet in the session any more. */
export const CLOSED_SESSION_STATUSES: readonly SessionStatus[] = ['ended', 'cancelled'];

/** Rows of a session's change history (`history[]` of `GET /sessions/:id`). */
export const SESSION_CHANGE_KINDS = ['booked', 'rescheduled', 'cancelled', 'ended'] as const;
export const SessionChangeKindSchema = z.enum(SESSION_CHANGE_KINDS);
export type SessionChangeKind = z.infer<typeof SessionChangeKindSchema>;

/** Why a session ended (`endReason`; also the reason the SFU tells the peers in `sessionEnded`). */
export const SESSION_END_REASONS = [
  'ended_by_chair',
  'ended_by_coordinator',
  'ended_after_schedule',
] as const;
export const SessionEndReasonSchema = z.enum(SESSION_END_REASONS);
export type SessionEndReason = z.infer<typeof SessionEndReasonSchema>;
