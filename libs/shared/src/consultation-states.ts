import { z } from 'zod';

/** Lifecycle of a consultation request (SPEC "Domain"). Held here once; the API enforces it. */
export const CONSULTATION_STATUSES = [
  'draft',
  'submitted',
  'accepted',
  'declined',
  'scheduled',
  'in_progress',
  'completed',
  'cancelled',
] as const;
export const ConsultationStatusSchema = z.enum(CONSULTATION_STATUSES);
export type ConsultationStatus = z.infer<typeof ConsultationStatusSchema>;

export const URGENCIES = ['routine', 'urgent', 'emergency'] as const;
export const UrgencySchema = z.enum(URGENCIES);
export type Urgency = z.infer<typeof UrgencySchema>;

/** Every legal move. Anything before `completed` may be cancelled; declined/cancelled/completed are final. */
export const CONSULTATION_TRANSITIONS: Readonly<
  Record<ConsultationStatus, readonly ConsultationStatus[]>
> = {
  draft: ['submitted', 'cancelled'],
  submitted: ['accepted', 'declined', 'cancelled'],
  accepted: ['scheduled', 'cancelled'],
  scheduled: ['in_progress', 'accepted', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  declined: [],
  completed: [],
  cancelled: [],
};

export function allowedTransitions(from: ConsultationStatus): readonly ConsultationStatus[] {
  return CONSULTATION_TRANSITIONS[from];
}

export function canTransition(from: ConsultationStatus, to: ConsultationStatus): boolean {
  return CONSULTATION_TRANSITIONS[from].includes(to);
}

/** Transitions that require a human-readable reason. */
export const TRANSITIONS_WITH_REASON: readonly ConsultationStatus[] = ['declined', 'cancelled'];
