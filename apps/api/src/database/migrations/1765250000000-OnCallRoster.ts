import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emergency consults: each facility's on-call roster (who covers which specialty when, in which
 * escalation order), and per emergency request the state of its call — when it last rang, how far
 * it escalated, who claimed it — so that escalation is driven from here and survives a restart.
 */
export class OnCallRoster1765250000000 implements MigrationInterface {
  name = 'OnCallRoster1765250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE on_call_shifts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id),
        user_id uuid NOT NULL REFERENCES users(id),
        specialty text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        escalation_order int NOT NULL DEFAULT 1 CHECK (escalation_order BETWEEN 1 AND 9),
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT on_call_shifts_time_order CHECK (ends_at > starts_at),
        -- One person is on call for one specialty once at a time (the service answers 409 first).
        CONSTRAINT on_call_shifts_no_overlap EXCLUDE USING gist (
          user_id WITH =, lower(specialty) WITH =, tstzrange(starts_at, ends_at) WITH &&)
      )`);
    await q.query(
      `CREATE INDEX on_call_shifts_duty_idx ON on_call_shifts (facility_id, lower(specialty), starts_at)`,
    );
    await q.query(`
      CREATE TABLE emergency_calls (
        consultation_id uuid PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        specialty text NOT NULL,
        rung_at timestamptz NOT NULL,
        rung_order int NOT NULL DEFAULT 0,
        escalations int NOT NULL DEFAULT 0,
        exhausted boolean NOT NULL DEFAULT false,
        claimed_by uuid REFERENCES users(id),
        claimed_at timestamptz,
        session_id uuid REFERENCES sessions(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX emergency_calls_open_idx ON emergency_calls (rung_at) WHERE claimed_by IS NULL AND NOT exhausted`,
    );
    await q.query(`
      CREATE TABLE emergency_rings (
        consultation_id uuid NOT NULL REFERENCES emergency_calls(consultation_id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        escalation_order int NOT NULL,
        rung_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consultation_id, user_id)
      )`);
    await q.query(`CREATE INDEX emergency_rings_user_idx ON emergency_rings (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS emergency_rings`);
    await q.query(`DROP TABLE IF EXISTS emergency_calls`);
    await q.query(`DROP TABLE IF EXISTS on_call_shifts`);
  }
}
