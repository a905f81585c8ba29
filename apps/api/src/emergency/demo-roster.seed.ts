import type { EntityManager } from 'typeorm';
import type { DemoSeedResult } from '../database/seed/types';

const DAY = 86400_000;
const HOUR = 3600_000;

/**
 * The demo central hospital's on-call roster for respiratory emergencies, from yesterday for two
 * weeks: day shifts 07:00–19:00 and night shifts 19:00–07:00 Vietnam time (00:00 and 12:00 UTC),
 * the two demo specialists alternating as first call, the other as second — so an emergency
 * submitted at any hour rings someone, and escalates to the other after the timeout.
 */
export async function seedDemoRoster(m: EntityManager, seeded: DemoSeedResult): Promise<void> {
  const facilityId = seeded.facilities['BV-TW-A'];
  const a = seeded.users['specialist1@central-a.demo'];
  const b = seeded.users['specialist2@central-a.demo'];
  const by = seeded.users['coordinator@central-a.demo'];
  if (!facilityId || !a || !b) return;
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  for (let d = -1; d < 14; d++) {
    const day = today.getTime() + d * DAY;
    for (const [start, first, second] of [
      [day, a, b],
      [day + 12 * HOUR, b, a],
    ] as const) {
      for (const [userId, order] of [
        [first, 1],
        [second, 2],
      ] as const) {
        await m.query(
          `INSERT INTO on_call_shifts (facility_id, user_id, specialty, starts_at, ends_at, escalation_order, created_by)
           VALUES ($1, $2, 'hô hấp', $3, $4, $5, $6)`,
          [facilityId, userId, new Date(start), new Date(start + 12 * HOUR), order, by ?? null],
        );
      }
    }
  }
}
