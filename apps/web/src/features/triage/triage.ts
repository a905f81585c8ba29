import type { ConsultationView, Urgency } from '@caunoi/shared';
import { minutesBetween } from '../../i18n/format';

/** How long a request may wait for triage before it is shown as overdue. */
export const TRIAGE_TARGET_MINUTES: Record<Urgency, number> = {
  emergency: 30,
  urgent: 4 * 60,
  routine: 48 * 60,
};

const URGENCY_RANK: Record<Urgency, number> = { emergency: 0, urgent: 1, routine: 2 };

export function waitingSince(c: Pick<ConsultationView, 'submittedAt' | 'createdAt'>): string {
  return c.submittedAt ?? c.createdAt;
}

export function waitingMinutes(
  c: Pick<ConsultationView, 'submittedAt' | 'createdAt'>,
  now: Date = new Date(),
): number {
  return minutesBetween(waitingSince(c), now);
}

export function isOverdue(
  c: Pick<ConsultationView, 'submittedAt' | 'createdAt' | 'urgency'>,
  now: Date = new Date(),
): boolean {
  return waitingMinutes(c, now) > TRIAGE_TARGET_MINUTES[c.urgency];
}

/** Most urgent first; within one urgency, the longest waiting first. */
export function triageOrder<
  T extends Pick<ConsultationView, 'submittedAt' | 'createdAt' | 'urgency'>,
>(list: T[]): T[] {
  return [...list].sort(
    (a, b) =>
      URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
      Date.parse(waitingSince(a)) - Date.parse(waitingSince(b)),
  );
}
