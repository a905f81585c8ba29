import { z } from 'zod';
import { ConsultationStatusSchema, UrgencySchema } from '../consultation-states';
import { RoleSchema } from '../roles';
import {
  SessionChangeKindSchema,
  SessionEndReasonSchema,
  SessionStatusSchema,
} from '../session-states';
import { SessionKindSchema } from '../session-kinds';
import { text } from '../text';
import { csvList, InstantSchema } from './common';
import { PersonRefSchema } from './list';

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
  urgency: UrgencySchema.optional(),
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

/** The session itself, without who and what it covers. */
export const SessionSummarySchema = z.object({
  id: z.uuid(),
  title: z.string().nullable(),
  status: SessionStatusSchema,
  startsAt: InstantSchema,
  endsAt: InstantSchema,
  /** +1 per reschedule or cancel (the calendar feed's SEQUENCE). */
  sequence: z.number().int().min(0),
  organiserFacilityId: z.uuid().nullable(),
  /** When an organising coordinator opened the room early. */
  openedAt: InstantSchema.nullable(),
  cancelledAt: InstantSchema.nullable(),
  cancelReason: z.string().nullable(),
  /** When it ended (by the chair, a coordinator, or by itself after its time). */
  endedAt: InstantSchema.nullable(),
  endReason: SessionEndReasonSchema.nullable(),
  /** `training`: tele-education (no consultations; a presenter; the floor policy in the room). */
  kind: SessionKindSchema,
  /** Training: who presents. */
  presenterId: z.uuid().nullable(),
  /** Training: every facility of the network is invited. */
  openToNetwork: z.boolean(),
});
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

/** `GET /sessions` items: times and parties, no patient data. */
export const SessionListItemSchema = SessionSummarySchema.extend({
  participantIds: z.array(z.uuid()),
  facilityIds: z.array(z.uuid()),
});
export type SessionListItem = z.infer<typeof SessionListItemSchema>;

export const SessionConsultationSchema = z.object({
  id: z.uuid(),
  status: ConsultationStatusSchema,
  specialty: z.string(),
  urgency: UrgencySchema,
  targetFacilityId: z.uuid(),
  patient: PersonRefSchema,
});
export type SessionConsultation = z.infer<typeof SessionConsultationSchema>;

export const SessionParticipantSchema = PersonRefSchema.extend({
  roles: z.array(RoleSchema),
  facilityId: z.uuid().nullable(),
  facilityName: z.string(),
});
export type SessionParticipant = z.infer<typeof SessionParticipantSchema>;

export const SessionSiteSchema = z.object({ id: z.uuid(), name: z.string(), code: z.string() });
export type SessionSite = z.infer<typeof SessionSiteSchema>;

export const SessionChangeSchema = z.object({
  kind: SessionChangeKindSchema,
  startsAt: InstantSchema,
  endsAt: InstantSchema,
  actorId: z.uuid().nullable(),
  reason: z.string().nullable(),
  at: InstantSchema,
});
export type SessionChange = z.infer<typeof SessionChangeSchema>;

/** `GET /sessions/:id`, `PATCH /sessions/:id`, `POST /sessions/:id/cancel`. */
export const SessionViewSchema = SessionSummarySchema.extend({
  consultations: z.array(SessionConsultationSchema),
  consultationIds: z.array(z.uuid()),
  participants: z.array(SessionParticipantSchema),
  participantIds: z.array(z.uuid()),
  facilities: z.array(SessionSiteSchema),
  facilityIds: z.array(z.uuid()),
  history: z.array(SessionChangeSchema),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

/** `POST /sessions` (201): the session, and who is booked outside their published availability. */
export const BookedSessionSchema = SessionViewSchema.extend({ warnings: z.array(z.string()) });
export type BookedSession = z.infer<typeof BookedSessionSchema>;
