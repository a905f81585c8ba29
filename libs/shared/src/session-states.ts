import { z } from 'zod';

/**
 * A session (the video conference booked for one or more requests): `scheduled` until the first
 * join, then `in_progress`, `ended` when it is over; `cancelled` frees its bookings.
 */
export const SESSION_STATUSES = ['scheduled', 'in_progress', 'ended', 'cancelled'] as const;
export const SessionStatusSchema = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/** States in which nobody will meet in the session any more. */
export const CLOSED_SESSION_STATUSES: readonly SessionStatus[] = ['ended', 'cancelled'];

/** Rows of a session's change history (`history[]` of `GET /sessions/:id`). */
export const SESSION_CHANGE_KINDS = ['booked', 'rescheduled', 'cancelled'] as const;
export const SessionChangeKindSchema = z.enum(SESSION_CHANGE_KINDS);
export type SessionChangeKind = z.infer<typeof SessionChangeKindSchema>;
