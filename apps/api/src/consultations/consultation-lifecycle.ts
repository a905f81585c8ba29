import {
  allowedTransitions,
  canTransition,
  ConsultationStatus,
  TRANSITIONS_WITH_REASON,
} from '@caunoi/shared';
import { conflict, invalidInput } from '../common/errors';

/**
 * The lifecycle (docs/product.md), held once in @caunoi/shared (CONSULTATION_TRANSITIONS). This guard
 * turns an illegal move into a 409 that names the moves allowed from the current state.
 */
export function assertTransition(
  from: ConsultationStatus,
  to: ConsultationStatus,
  reason?: string | null,
): void {
  if (!canTransition(from, to)) {
    const allowed = allowedTransitions(from);
    throw conflict(
      `Cannot move a consultation from ${from} to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none (final state)'}`,
      { from, to, allowed },
    );
  }
  if (TRANSITIONS_WITH_REASON.includes(to) && !reason?.trim()) {
    throw invalidInput(
      { path: 'reason', message: 'Required' },
      `A reason is required to move a consultation to ${to}`,
    );
  }
}
