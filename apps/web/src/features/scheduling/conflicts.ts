import type { SessionListItem } from '@caunoi/shared';

export interface Interval {
  startsAt: string;
  endsAt: string;
}

/** Half-open intervals [start, end): back-to-back sessions do not clash. */
export function overlaps(a: Interval, b: Interval): boolean {
  return (
    Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt)
  );
}

/** What a clash check needs of a booked session. */
export type BookedTimes = Pick<
  SessionListItem,
  'id' | 'status' | 'startsAt' | 'endsAt' | 'participantIds' | 'facilityIds'
>;

export interface Conflict {
  session: BookedTimes;
  userIds: string[];
  facilityIds: string[];
}

/** Booked sessions that would clash with the slot for any chosen participant or site. */
export function findConflicts(
  slot: Interval,
  sessions: BookedTimes[],
  userIds: string[],
  facilityIds: string[],
  ignoreSessionId?: string,
): Conflict[] {
  const users = new Set(userIds);
  const sites = new Set(facilityIds);
  const out: Conflict[] = [];
  for (const s of sessions) {
    if (s.id === ignoreSessionId || s.status === 'cancelled' || !overlaps(slot, s)) continue;
    const u = s.participantIds.filter((id) => users.has(id));
    const f = s.facilityIds.filter((id) => sites.has(id));
    if (u.length || f.length) out.push({ session: s, userIds: u, facilityIds: f });
  }
  return out;
}

/** The 409 body of POST /sessions lists the clashing bookings in `details` (BookingConflict[]). */
export function conflictsFromError(body: unknown): Interval[] {
  const d = (body as { details?: unknown } | undefined)?.details;
  if (!Array.isArray(d)) return [];
  // One entry per clashing person or site: show each booking once.
  const seen = new Set<string>();
  return d.filter((x): x is Interval => {
    if (!x || typeof x !== 'object' || !('startsAt' in x) || !('endsAt' in x)) return false;
    const key = `${(x as { sessionId?: string }).sessionId ?? ''}|${x.startsAt}|${x.endsAt}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
