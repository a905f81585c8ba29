import { CONSULTATION_STATUSES, CONSULTATION_TRANSITIONS } from '@caunoi/shared';
import { ApiException } from '../common/errors';
import { assertTransition } from './consultation-lifecycle';

describe('consultation lifecycle guard', () => {
  const pairs = CONSULTATION_STATUSES.flatMap((from) =>
    CONSULTATION_STATUSES.map((to) => [from, to] as const),
  );

  it.each(pairs)('%s → %s is allowed exactly when SPEC lists it', (from, to) => {
    const legal = CONSULTATION_TRANSITIONS[from].includes(to);
    const attempt = () => assertTransition(from, to, 'a reason');
    if (legal) expect(attempt).not.toThrow();
    else {
      try {
        attempt();
        throw new Error('expected a conflict');
      } catch (e) {
        expect(e).toBeInstanceOf(ApiException);
        expect((e as ApiException).getStatus()).toBe(409);
        expect((e as ApiException).details).toEqual({
          from,
          to,
          allowed: CONSULTATION_TRANSITIONS[from],
        });
      }
    }
  });

  it('requires a reason to decline or cancel', () => {
    expect(() => assertTransition('submitted', 'declined', '  ')).toThrow(/reason is required/);
    expect(() => assertTransition('draft', 'cancelled')).toThrow(/reason is required/);
  });
});
