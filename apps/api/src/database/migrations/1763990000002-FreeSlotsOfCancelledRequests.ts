import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request cancelled while its session is still ahead (by the requesting site, say) must not keep
 * specialists and sites booked. The consultation lifecycle lives in another module; a trigger
 * keeps the invariant wherever the cancellation comes from: a `scheduled` session all of whose
 * requests are now cancelled is cancelled too, its bookings freed (kept as history) and its
 * sequence raised so calendar feeds show the cancellation.
 */
export class FreeSlotsOfCancelledRequests1763990000002 implements MigrationInterface {
  name = 'FreeSlotsOfCancelledRequests1763990000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION sessions_follow_cancelled_request() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s record;
      BEGIN
        FOR s IN
          SELECT se.id, se.starts_at, se.ends_at FROM sessions se
            JOIN session_consultations sc ON sc.session_id = se.id AND sc.consultation_id = NEW.id
           WHERE se.status = 'scheduled'
             AND NOT EXISTS (SELECT 1 FROM session_consultations o JOIN consultations c ON c.id = o.consultation_id
                              WHERE o.session_id = se.id AND c.status <> 'cancelled')
           FOR UPDATE OF se
        LOOP
          UPDATE sessions SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'The request was cancelled',
                 sequence = sequence + 1, updated_at = now() WHERE id = s.id;
          UPDATE session_bookings SET cancelled = true WHERE session_id = s.id AND NOT cancelled;
          INSERT INTO session_changes (session_id, kind, starts_at, ends_at, actor_id, reason)
               VALUES (s.id, 'cancelled', s.starts_at, s.ends_at, NULL, 'The request was cancelled');
        END LOOP;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER consultations_cancel_frees_sessions AFTER UPDATE OF status ON consultations
      FOR EACH ROW WHEN (NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled')
      EXECUTE FUNCTION sessions_follow_cancelled_request()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS consultations_cancel_frees_sessions ON consultations`);
    await q.query(`DROP FUNCTION IF EXISTS sessions_follow_cancelled_request()`);
  }
}
