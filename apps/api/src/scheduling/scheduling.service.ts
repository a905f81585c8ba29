import { Inject, Injectable } from '@nestjs/common';
import type {
  AvailabilityQuery,
  SuggestedSlot,
  SuggestionsQuery,
  Urgency,
  WeeklyInterval,
} from '@caunoi/shared';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { AvailabilityRepository, Party } from './availability.repository';
import { CLOCK, Clock } from './clock';
import { Interval } from './intervals';
import { availableTime, findSlots, PartyCalendar, WeeklyRule } from './slot-finder';
import { minutesOfDay, wallTime } from './vietnam-time';

const MINUTE = 60_000;
const STEP_MINUTES = 15;
/** Without an urgency the search still has to stop somewhere. */
const DEFAULT_SEARCH_DAYS = 14;

export interface PartyLabel {
  party: Party;
  name: string;
}

@Injectable()
export class SchedulingService {
  constructor(
    @Inject(AvailabilityRepository) private readonly repo: AvailabilityRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How far ahead a slot may start for each urgency (configurable, SCHEDULING_*_HORIZON_MINUTES). */
  horizonMinutes(urgency: Urgency): number {
    return {
      emergency: this.config.SCHEDULING_EMERGENCY_HORIZON_MINUTES,
      urgent: this.config.SCHEDULING_URGENT_HORIZON_MINUTES,
      routine: this.config.SCHEDULING_ROUTINE_HORIZON_MINUTES,
    }[urgency];
  }

  async suggestions(q: SuggestionsQuery): Promise<SuggestedSlot[]> {
    const now = this.clock.now().getTime();
    const notBefore = Math.max(
      now + this.config.SCHEDULING_MIN_NOTICE_MINUTES * MINUTE,
      q.from ? Date.parse(q.from) : now,
    );
    const startBy = q.urgency
      ? now + this.horizonMinutes(q.urgency) * MINUTE
      : notBefore + DEFAULT_SEARCH_DAYS * 1440 * MINUTE;
    if (startBy < notBefore) return [];
    const durationMs = q.durationMinutes * MINUTE;
    const parties = await this.calendars(
      q.userIds,
      q.facilityIds,
      new Date(notBefore),
      new Date(startBy + durationMs),
    );
    const req = { notBefore, startBy, durationMs, stepMs: STEP_MINUTES * MINUTE, limit: q.limit };
    const slots = findSlots([...parties.values()], req);
    if (slots.length || !q.urgency) return slots.map(toSlot);
    // Nothing inside published availability before the urgency's deadline: emergencies happen at
    // night, so offer the earliest times when nobody is booked, flagged for the coordinator.
    const unbookedOnly = [...parties.values()].map((p) => ({
      weekly: null,
      onCall: [],
      leave: [],
      booked: p.booked,
    }));
    return findSlots(unbookedOnly, req).map((i) => ({ ...toSlot(i), outsideAvailability: true }));
  }

  /** Expanded available blocks (not minus bookings: the week view draws those as sessions). */
  async availability(q: AvailabilityQuery) {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    const parties = await this.calendars(q.userIds, q.facilityIds, new Date(from), new Date(to));
    const items: Array<{ userId?: string; facilityId?: string; startsAt: string; endsAt: string }> =
      [];
    for (const [key, cal] of parties) {
      const [kind, id] = key.split(':');
      const blocks = cal.weekly === null ? [] : availableTime(cal, from, to);
      for (const b of blocks) {
        const clipped = { start: Math.max(b.start, from), end: Math.min(b.end, to) };
        if (clipped.end <= clipped.start) continue;
        items.push({
          ...(kind === 'user' ? { userId: id } : { facilityId: id }),
          ...toSlot(clipped),
        });
      }
    }
    return items;
  }

  /**
   * Booking outside published availability is allowed (emergencies happen); the session is
   * created and the response says who was not available, in words a coordinator can act on.
   */
  async availabilityWarnings(
    parties: PartyLabel[],
    startsAt: Date,
    endsAt: Date,
  ): Promise<string[]> {
    const users = parties.filter((p) => p.party.kind === 'user').map((p) => p.party.id);
    const sites = parties.filter((p) => p.party.kind === 'site').map((p) => p.party.id);
    const cals = await this.calendars(users, sites, startsAt, endsAt, { withBookings: false });
    const warnings: string[] = [];
    for (const p of parties) {
      const cal = cals.get(`${p.party.kind}:${p.party.id}`)!;
      const free = availableTime(cal, startsAt.getTime(), endsAt.getTime());
      if (!free.some((i) => i.start <= startsAt.getTime() && i.end >= endsAt.getTime())) {
        warnings.push(
          `${p.name} has not published availability for the whole session (booked anyway)`,
        );
      }
    }
    return warnings;
  }

  async weekly(party: Party): Promise<WeeklyInterval[]> {
    const rules = (await this.repo.weeklyRules(party.kind, [party.id])).get(party.id) ?? [];
    return rules.map((r) => ({
      weekday: r.weekday,
      start: wallTime(r.startMinute),
      end: wallTime(r.endMinute),
    }));
  }

  async replaceWeekly(party: Party, intervals: WeeklyInterval[]): Promise<WeeklyInterval[]> {
    const rules: WeeklyRule[] = intervals.map((i) => ({
      weekday: i.weekday,
      startMinute: minutesOfDay(i.start),
      endMinute: minutesOfDay(i.end),
    }));
    await this.repo.replaceWeekly(party, rules);
    return this.weekly(party);
  }

  private async calendars(
    userIds: string[],
    facilityIds: string[],
    from: Date,
    to: Date,
    opts: { withBookings?: boolean } = {},
  ): Promise<Map<string, PartyCalendar>> {
    const out = new Map<string, PartyCalendar>();
    const groups: Array<[Party['kind'], string[]]> = [
      ['user', [...new Set(userIds)]],
      ['site', [...new Set(facilityIds)]],
    ];
    for (const [kind, ids] of groups) {
      if (!ids.length) continue;
      const rules = await this.repo.weeklyRules(kind, ids);
      const exceptions = await this.repo.exceptions(kind, ids, from, to);
      const booked =
        opts.withBookings === false
          ? new Map<string, Interval[]>()
          : AvailabilityRepository.intervalsByOwner(await this.repo.bookings(kind, ids, from, to));
      for (const id of ids) {
        const mine = exceptions.filter((e) => e.owner === id);
        const range = (k: string) =>
          mine
            .filter((e) => e.kind === k)
            .map((e) => ({ start: e.lower.getTime(), end: e.upper.getTime() }));
        out.set(`${kind}:${id}`, {
          weekly: rules.get(id) ?? (range('on_call').length ? [] : null),
          onCall: range('on_call'),
          leave: range('leave'),
          booked: booked.get(id) ?? [],
        });
      }
    }
    return out;
  }
}

const toSlot = (i: Interval): SuggestedSlot => ({
  startsAt: new Date(i.start).toISOString(),
  endsAt: new Date(i.end).toISOString(),
});
