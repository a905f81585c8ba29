import { Interval, intersect, subtract } from './intervals';
import { DAY_MS, vietnamMidnight, vietnamWeekday } from './vietnam-time';

export interface WeeklyRule {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/** Everything known about one party (a user or a site) over the search window. */
export interface PartyCalendar {
  /** null: the party publishes no weekly pattern and is treated as available at any time. */
  weekly: WeeklyRule[] | null;
  onCall: Interval[];
  leave: Interval[];
  booked: Interval[];
}

/** The weekly pattern laid out on the days that overlap [from, to). */
export function expandWeekly(rules: WeeklyRule[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (let day = vietnamMidnight(from); day < to; day += DAY_MS) {
    const weekday = vietnamWeekday(day);
    for (const r of rules) {
      if (r.weekday === weekday)
        out.push({ start: day + r.startMinute * 60_000, end: day + r.endMinute * 60_000 });
    }
  }
  return out;
}

/** When the party could take a session: (weekly ∪ on-call) − leave. Bookings are not removed here. */
export function availableTime(p: PartyCalendar, from: number, to: number): Interval[] {
  const base =
    p.weekly === null
      ? [{ start: from, end: to }]
      : [...expandWeekly(p.weekly, from, to), ...p.onCall];
  return subtract(base, p.leave);
}

/** Available and not booked. */
export function freeTime(p: PartyCalendar, from: number, to: number): Interval[] {
  return subtract(availableTime(p, from, to), p.booked);
}

export interface SlotRequest {
  /** earliest start (already includes the minimum notice) */
  notBefore: number;
  /** latest start (the urgency horizon) */
  startBy: number;
  durationMs: number;
  stepMs: number;
  limit: number;
}

/**
 * The earliest `limit` non-overlapping slots in which every party is free. Starts sit on the
 * step grid (quarter hours in UTC are quarter hours in Vietnam, the offset being whole hours).
 */
export function findSlots(parties: PartyCalendar[], req: SlotRequest): Interval[] {
  const windowEnd = req.startBy + req.durationMs;
  let common: Interval[] = [{ start: req.notBefore, end: windowEnd }];
  for (const p of parties) common = intersect(common, freeTime(p, req.notBefore, windowEnd));
  const slots: Interval[] = [];
  for (const free of common) {
    let start = Math.ceil(Math.max(free.start, req.notBefore) / req.stepMs) * req.stepMs;
    while (start <= req.startBy && start + req.durationMs <= free.end && slots.length < req.limit) {
      slots.push({ start, end: start + req.durationMs });
      start += Math.ceil(req.durationMs / req.stepMs) * req.stepMs;
    }
    if (slots.length >= req.limit) break;
  }
  return slots;
}
