import { MigrationInterface, QueryRunner } from 'typeorm';
import { RECORDING_STATUSES } from '@caunoi/shared';

/**
 * Recordings of sessions. The files live in the attachment store (content-addressed, encrypted at
 * rest when a storage key is set): `sha256` is the session file, `tracks` the timing map with each
 * track's own file. A recording is never deleted with its session: it is a medical record.
 */
export class Recordings1765400000000 implements MigrationInterface {
  name = 'Recordings1765400000000';

  async up(q: QueryRunner): Promise<void> {
    const statuses = RECORDING_STATUSES.map((s) => `'${s}'`).join(', ');
    await q.query(`
      CREATE TABLE recordings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE RESTRICT,
        status text NOT NULL DEFAULT 'recording' CONSTRAINT recordings_status_check CHECK (status IN (${statuses})),
        started_at timestamptz NOT NULL DEFAULT now(),
        started_by uuid NOT NULL REFERENCES users(id),
        ended_at timestamptz,
        stopped_by uuid REFERENCES users(id),
        duration_seconds double precision,
        size_bytes bigint,
        sha256 text,
        tracks jsonb NOT NULL DEFAULT '[]'::jsonb,
        failure_reason text,
        consent_withdrawn_at timestamptz,
        finished_at timestamptz
      )`);
    // One recording at a time per session: a second start is a conflict, decided by PostgreSQL.
    await q.query(
      `CREATE UNIQUE INDEX recordings_one_active ON recordings (session_id) WHERE status = 'recording'`,
    );
    await q.query(`CREATE INDEX recordings_session ON recordings (session_id, started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS recordings`);
  }
}
