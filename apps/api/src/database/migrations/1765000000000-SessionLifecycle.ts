import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions end: when, why, by whom, and whether the SFU has been told to close the room (the
 * lifecycle job retries until it has). Ending is a row of the session's history.
 *
 * Until now issuing a join token started a session, so a test join before the start left it (and
 * its requests) `in_progress` for ever with nobody ever in the room. Such sessions, with no
 * attendance at all, go back to `scheduled` (their requests too, with a transition row saying why),
 * where they can be cancelled or start for real.
 */
export class SessionLifecycle1765000000000 implements MigrationInterface {
  name = 'SessionLifecycle1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions
      ADD COLUMN ended_at timestamptz,
      ADD COLUMN ended_by uuid REFERENCES users(id),
      ADD COLUMN end_reason text
        CHECK (end_reason IN ('ended_by_chair','ended_by_coordinator','ended_after_schedule')),
      ADD COLUMN sfu_notified_at timestamptz`);
    await q.query(`UPDATE sessions SET ended_at = updated_at, end_reason = 'ended_after_schedule'
      WHERE status = 'ended'`);
    // Sessions that closed before this migration need no command to the SFU.
    await q.query(
      `UPDATE sessions SET sfu_notified_at = now() WHERE status IN ('ended','cancelled')`,
    );
    await q.query(
      `CREATE INDEX sessions_open_idx ON sessions (ends_at) WHERE status IN ('scheduled','in_progress')`,
    );
    await q.query(`CREATE INDEX sessions_sfu_pending_idx ON sessions (updated_at)
      WHERE sfu_notified_at IS NULL AND status IN ('ended','cancelled')`);
    await q.query(`ALTER TABLE session_changes DROP CONSTRAINT session_changes_kind_check`);
    await q.query(`ALTER TABLE session_changes ADD CONSTRAINT session_changes_kind_check
      CHECK (kind IN ('booked','rescheduled','cancelled','ended'))`);

    await q.query(`
      WITH never_joined AS (
        UPDATE sessions s SET status = 'scheduled', updated_at = now()
         WHERE s.status = 'in_progress'
           AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id)
        RETURNING s.id
      ), reverted AS (
        UPDATE consultations c SET status = 'scheduled', updated_at = now()
          FROM session_consultations sc
         WHERE sc.consultation_id = c.id AND sc.session_id IN (SELECT id FROM never_joined)
           AND c.status = 'in_progress'
        RETURNING c.id
      )
      INSERT INTO consultation_transitions (consultation_id, from_status, to_status, reason)
      SELECT id, 'in_progress', 'scheduled',
             'Started by a join token before anyone was in the room; back to scheduled'
        FROM reverted`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE session_changes DROP CONSTRAINT session_changes_kind_check`);
    await q.query(`DELETE FROM session_changes WHERE kind = 'ended'`);
    await q.query(`ALTER TABLE session_changes ADD CONSTRAINT session_changes_kind_check
      CHECK (kind IN ('booked','rescheduled','cancelled'))`);
    await q.query(`DROP INDEX IF EXISTS sessions_sfu_pending_idx`);
    await q.query(`DROP INDEX IF EXISTS sessions_open_idx`);
    await q.query(`ALTER TABLE sessions DROP COLUMN sfu_notified_at, DROP COLUMN end_reason,
      DROP COLUMN ended_by, DROP COLUMN ended_at`);
  }
}
