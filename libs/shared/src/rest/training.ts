import { z } from 'zod';
import { TRAINING_MAX_SITES } from '../session-kinds';
import { text } from '../text';
import { InstantSchema } from './common';

const NO_PATIENT_DATA =
  'a training session links no consultation or identifiable patient (share de-identified material in the room)';

/**
 * `POST /sessions/training` (coordinator): a tele-education session organised by the caller's
 * facility for invited sites (at most TRAINING_MAX_SITES) or for every facility of the network.
 * Fields that would link patient data (`consultationIds`, `patientIds`) are refused by name.
 */
export const CreateTrainingSessionSchema = z
  .object({
    title: text().trim().min(1).max(200),
    startsAt: InstantSchema,
    endsAt: InstantSchema,
    /** The user who teaches: sends media without asking for the floor and hands the floor out. */
    presenterId: z.uuid(),
    facilityIds: z.array(z.uuid()).max(TRAINING_MAX_SITES).default([]),
    /** Every facility of the network is invited (`facilityIds` is then ignored). */
    openToNetwork: z.boolean().default(false),
    consultationIds: z.array(z.unknown()).max(0, NO_PATIENT_DATA).optional(),
    patientIds: z.array(z.unknown()).max(0, NO_PATIENT_DATA).optional(),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    path: ['endsAt'],
    message: 'endsAt must be after startsAt',
  })
  .refine((s) => s.openToNetwork || s.facilityIds.length > 0, {
    path: ['facilityIds'],
    message: 'invite at least one facility, or open the session to the whole network',
  });
export type CreateTrainingSession = z.infer<typeof CreateTrainingSessionSchema>;

/**
 * Columns of `GET /sessions/:id/attendance.csv` (one row per participant who was in the room;
 * times in UTC, ISO 8601). `minutes` is the time in the room with overlapping connections of the
 * same person counted once.
 */
export const ATTENDANCE_CSV_COLUMNS = [
  'facility_code',
  'facility',
  'participant',
  'role',
  'first_joined_at',
  'last_left_at',
  'connections',
  'minutes',
] as const;
