import type { SessionStatus } from '@caunoi/shared';
import { conflictsFromError, findConflicts, overlaps, type BookedTimes } from './conflicts';

const s = (
  id: string,
  start: string,
  end: string,
  users: string[],
  sites: string[] = [],
  status: SessionStatus = 'scheduled',
): BookedTimes => ({
  id,
  startsAt: `2026-11-24T${start}:00Z`,
  endsAt: `2026-11-24T${end}:00Z`,
  participantIds: users,
  facilityIds: sites,
  status,
});

describe('booking conflicts shown before booking', () => {
  it('treats back-to-back sessions as free', () => {
    expect(overlaps(s('a', '02:00', '03:00', []), s('b', '03:00', '04:00', []))).toBe(false);
    expect(overlaps(s('a', '02:00', '03:00', []), s('b', '02:59', '04:00', []))).toBe(true);
  });

  it('finds sessions that share a participant or a site', () => {
    const booked = [
      s('x', '02:00', '03:00', ['u1']),
      s('y', '02:30', '03:30', ['u9'], ['site1']),
      s('z', '02:30', '03:30', ['u9']),
      s('c', '02:00', '03:00', ['u1'], [], 'cancelled'),
    ];
    const slot = { startsAt: '2026-11-24T02:45:00Z', endsAt: '2026-11-24T03:15:00Z' };
    const found = findConflicts(slot, booked, ['u1', 'u2'], ['site1']);
    expect(found.map((c) => c.session.id)).toEqual(['x', 'y']);
    expect(found[0].userIds).toEqual(['u1']);
    expect(found[1].facilityIds).toEqual(['site1']);
  });

  it('ignores the session being rescheduled', () => {
    const booked = [s('x', '02:00', '03:00', ['u1'])];
    expect(
      findConflicts(
        { startsAt: '2026-11-24T02:30:00Z', endsAt: '2026-11-24T03:30:00Z' },
        booked,
        ['u1'],
        [],
        'x',
      ),
    ).toEqual([]);
  });

  it('reads the conflicting bookings from a 409 body', () => {
    const c = { startsAt: '2026-11-24T02:00:00Z', endsAt: '2026-11-24T03:00:00Z' };
    expect(conflictsFromError({ statusCode: 409, details: [c, { nope: 1 }] })).toEqual([c]);
    expect(conflictsFromError({ statusCode: 409, message: 'x' })).toEqual([]);
    const perPerson = [1, 2, 3].map((n) => ({ sessionId: 's1', userId: `u${n}`, ...c }));
    expect(conflictsFromError({ statusCode: 409, details: perPerson })).toHaveLength(1);
  });
});
