import { z } from 'zod';
import {
  ConsultationActionSchema,
  ConsultationModeSchema,
  ConsultationStatusSchema,
  UrgencySchema,
} from '../consultation-states';
import { text } from '../text';
import { InstantSchema, IsoDateSchema } from './common';
import { FacilityRefSchema, PersonRefSchema } from './list';
import { SexSchema } from './patients';

export const CreateConsultationSchema = z.object({
  patientId: z.uuid(),
  targetFacilityId: z.uuid(),
  specialty: text().trim().min(2).max(100),
  urgency: UrgencySchema,
  summary: text().trim().min(1).max(20000),
  question: text().trim().min(1).max(5000),
  /** `live` (default) or `written`; the target coordinator may switch it before it starts. */
  mode: ConsultationModeSchema.optional(),
});
export type CreateConsultation = z.infer<typeof CreateConsultationSchema>;

export const ReasonSchema = z.object({ reason: text().trim().min(3).max(2000) });
export type Reason = z.infer<typeof ReasonSchema>;

export const ConsultationListQuerySchema = z.object({
  status: ConsultationStatusSchema.optional(),
  urgency: UrgencySchema.optional(),
  /** Which side of the request the caller is on: the one asking or the one answering. */
  role: z.enum(['requester', 'target', 'participant']).optional(),
  specialty: text().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ConsultationListQuery = z.infer<typeof ConsultationListQuerySchema>;

/** `GET /consultations` items; `POST /consultations`. */
export const ConsultationViewSchema = z.object({
  id: z.uuid(),
  status: ConsultationStatusSchema,
  /** The reason given with the last decline or cancel. */
  statusReason: z.string().nullable(),
  urgency: UrgencySchema,
  mode: ConsultationModeSchema,
  specialty: z.string(),
  summary: z.string(),
  question: z.string(),
  patient: z.object({
    id: z.uuid(),
    fullName: z.string(),
    dateOfBirth: IsoDateSchema,
    sex: SexSchema,
  }),
  /** Flat ids beside the nested objects, for clients that post them back. */
  patientId: z.uuid(),
  requestingFacilityId: z.uuid(),
  targetFacilityId: z.uuid(),
  requesterId: z.uuid(),
  requestingFacility: FacilityRefSchema,
  targetFacility: FacilityRefSchema,
  requester: PersonRefSchema,
  submittedAt: InstantSchema.nullable(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});
export type ConsultationView = z.infer<typeof ConsultationViewSchema>;

/** One move in a request's history: who moved it, when, and why. */
export const TransitionRecordSchema = z.object({
  from: ConsultationStatusSchema.nullable(),
  to: ConsultationStatusSchema,
  reason: z.string().nullable(),
  at: InstantSchema,
  /** Null when the system moved it (e.g. a trigger when a covering session was cancelled). */
  actor: PersonRefSchema.nullable(),
});
export type TransitionRecord = z.infer<typeof TransitionRecordSchema>;

/**
 * `GET /consultations/:id` and the answer of every action: the view, its history, and the
 * actions the caller may take now (clients show exactly these buttons).
 */
export const ConsultationDetailSchema = ConsultationViewSchema.extend({
  history: z.array(TransitionRecordSchema),
  allowedActions: z.array(ConsultationActionSchema),
  /** Specialists assigned to the case (a written consultation's authors). */
  assigned: z.array(PersonRefSchema),
  /** The caller (a target coordinator) may assign specialists or switch the mode now. */
  mayAssign: z.boolean(),
});

/** `POST /consultations/:id/assign`: specialists of the target facility. */
export const AssignSpecialistsSchema = z.object({
  specialistIds: z.array(z.uuid()).min(1).max(10),
});
export type AssignSpecialists = z.infer<typeof AssignSpecialistsSchema>;

/** `POST /consultations/:id/mode`. */
export const SwitchModeSchema = z.object({ mode: ConsultationModeSchema });
export type SwitchMode = z.infer<typeof SwitchModeSchema>;
export type ConsultationDetail = z.infer<typeof ConsultationDetailSchema>;
