import { z } from 'zod';
import { UrgencySchema } from '../consultation-states';
import { text } from '../text';
import { csvList, InstantSchema } from './common';

/** "HH:MM" wall-clock time in Asia/Ho_Chi_Minh; "24:00" closes a day. */
const WallTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (Vietnam time)');

/** One recurring weekly interval; weekday is ISO (1 = Monday … 7 = Sunday). */
export const WeeklyIntervalSchema = z
  .object({ weekday: z.number().int().min(1).max(7), start: WallTimeSchema, end: WallTimeSchema })
  .refine((i) => i.end > i.start, { path: ['end'], message: 'end must be after start' });
export type WeeklyInterval = z.infer<typeof WeeklyIntervalSchema>;

/** Replaces a specialist's (or a site's bridge room's) whole weekly pattern. */
export const WeeklyAvailabilitySchema = z.object({
  intervals: z.array(WeeklyIntervalSchema).max(100),
});
export type WeeklyAvailability = z.infer<typeof WeeklyAvailabilitySchema>;

/** leave: unavailable although the week says otherwise; on_call: available although it does not. */
export const AVAILABILITY_EXCEPTION_KINDS = ['leave', 'on_call'] as const;
export const AvailabilityExceptionKindSchema = z.enum(AVAILABILITY_EXCEPTION_KINDS);
export type AvailabilityExceptionKind = z.infer<typeof AvailabilityExceptionKindSchema>;

export const AvailabilityExceptionSchema = z
  .object({
    kind: AvailabilityExceptionKindSchema,
    startsAt: InstantSchema,
    endsAt: InstantSchema,
    note: text().trim().max(300).optional(),
  })
  .refine((e) => Date.parse(e.endsAt) > Date.parse(e.startsAt), {
    path: ['endsAt'],
    message: 'endsAt must be after startsAt',
  });
export type AvailabilityException = z.infer<typeof AvailabilityExceptionSchema>;

/** Week-view calendar: the expanded free blocks of users and sites between two instants. */
export const AvailabilityQuerySchema = z
  .object({
    userIds: csvList(z.uuid()),
    facilityIds: csvList(z.uuid()),
    from: InstantSchema,
    to: InstantSchema,
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), {
    path: ['to'],
    message: 'to must be after from',
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 86400_000, {
    path: ['to'],
    message: 'at most 62 days',
  });
export type AvailabilityQuery = z.infer<typeof AvailabilityQuerySchema>;

export const SuggestedSlotSchema = z.object({
  startsAt: InstantSchema,
  endsAt: InstantSchema,
  /** Everyone is unbooked but not everyone has published availability then (urgent fallback). */
  outsideAvailability: z.boolean().optional(),
});
export type SuggestedSlot = z.infer<typeof SuggestedSlotSchema>;

/** `GET /scheduling/suggestions`: the slots, and the urgency whose horizon applied. */
export const SuggestionsSchema = z.object({
  items: z.array(SuggestedSlotSchema),
  urgency: UrgencySchema.nullable(),
});
export type Suggestions = z.infer<typeof SuggestionsSchema>;

/** `GET /scheduling/availability` items: one free block of a user or of a site. */
export const AvailabilityBlockSchema = z.object({
  userId: z.uuid().optional(),
  facilityId: z.uuid().optional(),
  startsAt: InstantSchema,
  endsAt: InstantSchema,
});
export type AvailabilityBlock = z.infer<typeof AvailabilityBlockSchema>;

/** A saved exception (`POST …/availability/exceptions` answers one). */
export const SavedAvailabilityExceptionSchema = z.object({
  id: z.uuid(),
  kind: AvailabilityExceptionKindSchema,
  startsAt: InstantSchema,
  endsAt: InstantSchema,
  note: z.string().nullable().optional(),
});
export type SavedAvailabilityException = z.infer<typeof SavedAvailabilityExceptionSchema>;

/** `GET|PUT /me/availability`, `GET|PUT /scheduling/sites/:facilityId/availability`. */
export const AvailabilityDescriptionSchema = z.object({
  timeZone: z.literal('Asia/Ho_Chi_Minh'),
  intervals: z.array(WeeklyIntervalSchema),
  exceptions: z.array(SavedAvailabilityExceptionSchema),
});
export type AvailabilityDescription = z.infer<typeof AvailabilityDescriptionSchema>;

/** `GET /me/calendar`, `POST /me/calendar/rotate`: the secret iCalendar feed address. */
export const CalendarFeedSchema = z.object({ url: z.string() });
export type CalendarFeed = z.infer<typeof CalendarFeedSchema>;
