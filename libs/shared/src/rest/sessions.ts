import { z } from 'zod';
import { text } from '../text';
import { csvList, InstantSchema } from './common';

export const CreateSessionSchema = z
  .object({
    consultationIds: z.array(z.uuid()).min(1).max(50),
    participantIds: z.array(z.uuid()).min(1).max(100),
    facilityIds: z.array(z.uuid()).max(50).default([]),
    startsAt: InstantSchema,
    endsAt: InstantSchema,
    title: text().trim().max(200).optional(),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    path: ['endsAt'],
    message: 'endsAt must be after startsAt',
  });
export type CreateSession = z.infer<typeof CreateSessionSchema>;

export const SuggestionsQuerySchema = z.object({
  userIds: csvList(z.uuid()),
  facilityIds: csvList(z.uuid()),
  durationMinutes: z.coerce.number().int().min(5).max(480).default(30),
  from: InstantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(5),
  urgency: z.enum(['routine', 'urgent', 'emergency']).optional(),
  /** The request being scheduled: its urgency applies when `urgency` is not given. */
  consultationId: z.uuid().optional(),
});
export type SuggestionsQuery = z.infer<typeof SuggestionsQuerySchema>;

export const JoinResponseSchema = z.object({
  token: z.string(),
  sfuUrl: z.string(),
  /** socket.io path of the SFU when it is served under a path of a shared origin. */
  sfuPath: z.string().optional(),
  iceServers: z.array(
    z.object({
      urls: z.union([z.string(), z.array(z.string())]),
      username: z.string().optional(),
      credential: z.string().optional(),
    }),
  ),
  expiresAt: InstantSchema,
});
export type JoinResponse = z.infer<typeof JoinResponseSchema>;

/** `PATCH /sessions/:id` — move a session; the old bookings stay as history. */
export const RescheduleSessionSchema = z
  .object({ startsAt: InstantSchema, endsAt: InstantSchema })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    path: ['endsAt'],
    message: 'endsAt must be after startsAt',
  });
export type RescheduleSession = z.infer<typeof RescheduleSessionSchema>;

/** `GET /sessions` — the caller's sessions (coordinators: also their facility's). */
export const SessionListQuerySchema = z.object({
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  userIds: csvList(z.uuid()),
  mine: z.enum(['true', 'false']).optional(),
  includeCancelled: z.enum(['true', 'false']).optional(),
});
export type SessionListQuery = z.infer<typeof SessionListQuerySchema>;

/** One booking that blocked a request: the 409's `details` is a list of these. */
export interface BookingConflict {
  sessionId: string;
  userId: string | null;
  facilityId: string | null;
  startsAt: string;
  endsAt: string;
}
