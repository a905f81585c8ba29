import { z } from 'zod';
import { text } from '../text';
import { ConsultationStatusSchema, UrgencySchema } from '../consultation-states';

export const CreateConsultationSchema = z.object({
  patientId: z.uuid(),
  targetFacilityId: z.uuid(),
  specialty: text().trim().min(2).max(100),
  urgency: UrgencySchema,
  summary: text().trim().min(1).max(20000),
  question: text().trim().min(1).max(5000),
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

export const MinutesInputSchema = z.object({
  summary: text().trim().min(1).max(20000),
  opinions: text().trim().min(1).max(50000),
  conclusion: text().trim().min(1).max(20000),
  recommendations: text().trim().min(1).max(20000),
  chairId: z.uuid(),
  secretaryId: z.uuid().optional(),
});
export type MinutesInput = z.infer<typeof MinutesInputSchema>;

export const AuditQuerySchema = z.object({
  patientId: z.uuid().optional(),
  actorId: z.uuid().optional(),
  action: text().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;
