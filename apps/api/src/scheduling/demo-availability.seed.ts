import type { EntityManager } from 'typeorm';
import { DEMO_SPECIALIST_EMAILS } from '../database/seed/demo-network';
import type { DemoSeedResult } from '../database/seed/types';

/**
 * SPEC "Demo data": every demo specialist is available Monday–Saturday, 07:00–17:00 Vietnam time.
 * The core seed writes its sessions without the scheduling columns; give them an organiser and
 * bookings so that they show in the coordinator's calendar and block their slots.
 */
export async function seedDemoAvailability(
  m: EntityManager,
  seeded: DemoSeedResult,
): Promise<void> {
  for (const email of DEMO_SPECIALIST_EMAILS) {
    const userId = seeded.users[email];
    if (!userId) continue;
    await m.query(
      `INSERT INTO availability_patterns (user_id) VALUES ($1) ON CONFLICT DO NOTHING`,
      [userId],
    );
    for (let weekday = 1; weekday <= 6; weekday++) {
      await m.query(
        `INSERT INTO availability_rules (user_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)`,
        [userId, weekday, 7 * 60, 17 * 60],
      );
    }
  }
  await m.query(
    `UPDATE sessions s SET organiser_facility_id = u.facility_id FROM users u WHERE u.id = s.created_by AND s.organiser_facility_id IS NULL`,
  );
  // ON CONFLICT DO NOTHING also covers exclusion constraints: overlapping demo sessions keep the first booking.
  await m.query(`
    INSERT INTO session_bookings (session_id, user_id, during)
    SELECT s.id, sp.user_id, tstzrange(s.starts_at, s.ends_at, '[)') FROM sessions s JOIN session_participants sp ON sp.session_id = s.id
     WHERE s.status <> 'cancelled' ON CONFLICT DO NOTHING`);
  await m.query(`
    INSERT INTO session_bookings (session_id, facility_id, during)
    SELECT s.id, ss.facility_id, tstzrange(s.starts_at, s.ends_at, '[)') FROM sessions s JOIN session_sites ss ON ss.session_id = s.id
     WHERE s.status <> 'cancelled' ON CONFLICT DO NOTHING`);
}
