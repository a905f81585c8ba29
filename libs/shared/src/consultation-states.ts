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

/**
 * How the consultation is given: `live` in a multi-site session, or `written` (store-and-forward):
 * assigned specialists answer in the minutes without a meeting — what a 3G link can carry.
 */
export const CONSULTATION_MODES = ['live', 'written'] as const;
export const ConsultationModeSchema = z.enum(CONSULTATION_MODES);
export type ConsultationMode = z.infer<typeof ConsultationModeSchema>;

/** Every legal move. Anything before `completed` may be cancelled; declined/cancelled/completed are final. */
export const CONSULTATION_TRANSITIONS: Readonly<
  Record<ConsultationStatus, readonly ConsultationStatus[]>
> = {
  draft: ['submitted', 'cancelled'],
  submitted: ['accepted', 'declined', 'cancelled'],
  // accepted → in_progress: a written consultation starts when its specialists are assigned.
  accepted: ['scheduled', 'in_progress', 'cancelled'],
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

/** States nothing leaves (read off the table, so a new final state needs no second list). */
export const FINAL_CONSULTATION_STATUSES: readonly ConsultationStatus[] =
  CONSULTATION_STATUSES.filter((s) => CONSULTATION_TRANSITIONS[s].length === 0);

export function isFinalStatus(status: ConsultationStatus): boolean {
  return FINAL_CONSULTATION_STATUSES.includes(status);
}

/**
 * Minutes are written once the consultation has a session; after completion only as a
 * correction (a new version).
 */
export const MINUTES_WRITABLE_STATUSES: readonly ConsultationStatus[] = [
  'scheduled',
  'in_progress',
  'completed',
];

/** What a user may ask of a request (`POST /consultations/:id/<action>`) and where it leads. */
export const CONSULTATION_ACTIONS = ['submit', 'accept', 'decline', 'cancel'] as const;
export const ConsultationActionSchema = z.enum(CONSULTATION_ACTIONS);
export type ConsultationAction = z.infer<typeof ConsultationActionSchema>;

export const ACTION_TARGET_STATUS: Readonly<Record<ConsultationAction, ConsultationStatus>> = {
  submit: 'submitted',
  accept: 'accepted',
  decline: 'declined',
  cancel: 'cancelled',
};

/** Actions whose body must carry `{reason}`. */
export function actionNeedsReason(action: ConsultationAction): boolean {
  return TRANSITIONS_WITH_REASON.includes(ACTION_TARGET_STATUS[action]);
}
