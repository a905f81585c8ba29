import { z } from 'zod';
import { text } from '../text';
import { InstantSchema, UuidSchema } from './common';
import { FacilityRefSchema, PersonRefSchema } from './list';

/** Escalation tiers of an on-call roster: tier 1 is rung at once, the next after each timeout. */
export const ON_CALL_MAX_ORDER = 9;

/** `POST /facilities/:id/on-call`: one shift of one specialist. */
export const CreateOnCallShiftSchema = z
  .object({
    userId: UuidSchema,
    specialty: text().trim().min(2).max(100),
    startsAt: InstantSchema,
    endsAt: InstantSchema,
    /** Escalation order: 1 is rung first; 2 when nobody of tier 1 claims in time; and so on. */
    order: z.number().int().min(1).max(ON_CALL_MAX_ORDER).default(1),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    path: ['endsAt'],
    message: 'endsAt must be after startsAt',
  })
  .refine((s) => Date.parse(s.endsAt) - Date.parse(s.startsAt) <= 7 * 86400_000, {
    path: ['endsAt'],
    message: 'a shift lasts at most 7 days',
  });
export type CreateOnCallShift = z.input<typeof CreateOnCallShiftSchema>;

/** `GET /facilities/:id/on-call?from&to`: the shifts overlapping the window (at most 62 days). */
export const OnCallQuerySchema = z
  .object({
    from: InstantSchema,
    to: InstantSchema,
    specialty: text().trim().max(100).optional(),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), {
    path: ['to'],
    message: 'to must be after from',
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 86400_000, {
    path: ['to'],
    message: 'at most 62 days',
  });
export type OnCallQuery = z.infer<typeof OnCallQuerySchema>;

/** One shift of the roster. */
export const OnCallShiftSchema = z.object({
  id: UuidSchema,
  facilityId: UuidSchema,
  specialist: PersonRefSchema,
  specialty: z.string(),
  startsAt: InstantSchema,
  endsAt: InstantSchema,
  order: z.number().int(),
});
export type OnCallShift = z.infer<typeof OnCallShiftSchema>;

/**
 * An emergency request ringing its facility's on-call specialists (`GET /emergency-calls`: the
 * open ones ringing the caller). `escalations` counts the timeouts so far.
 */
export const EmergencyCallSchema = z.object({
  consultationId: UuidSchema,
  specialty: z.string(),
  requestingFacility: FacilityRefSchema,
  targetFacilityId: UuidSchema,
  rungAt: InstantSchema,
  escalations: z.number().int(),
  claimedBy: PersonRefSchema.nullable(),
  sessionId: UuidSchema.nullable(),
});
export type EmergencyCall = z.infer<typeof EmergencyCallSchema>;

/** `POST /consultations/:id/claim`: the immediate session the claimer and the requester enter. */
export const ClaimResultSchema = z.object({
  consultationId: UuidSchema,
  sessionId: UuidSchema,
  claimedBy: PersonRefSchema,
  claimedAt: InstantSchema,
});
export type ClaimResult = z.infer<typeof ClaimResultSchema>;
