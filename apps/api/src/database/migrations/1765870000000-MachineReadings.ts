import { MigrationInterface, QueryRunner } from 'typeorm';
import { MACHINE_FINDING_DECISIONS, MACHINE_READING_STATUSES } from '@caunoi/shared';

const words = (list: readonly string[]) => list.map((s) => `'${s}'`).join(', ');

/**
 * Machine pre-reads. A facility's external reader (`machine_readers`, its token sealed with the
 * storage key); one row per image and reader in `machine_readings` that is at once the durable job
 * (status, attempts, next attempt, lease) and its result; the findings, each with a clinician's
 * confirm/reject.
 */
export class MachineReadings1765870000000 implements MigrationInterface {
  name = 'MachineReadings1765870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE machine_readers (
        facility_id uuid PRIMARY KEY REFERENCES facilities(id) ON DELETE CASCADE,
        url text NOT NULL,
        token_sealed text,
        modalities text[] NOT NULL,
        body_parts text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE machine_readings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        attachment_id uuid NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
        facility_id uuid NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'pending'
          CONSTRAINT machine_readings_status_check CHECK (status IN (${words(MACHINE_READING_STATUSES)})),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        failure_reason text,
        image_columns integer,
        image_rows integer,
        conclusion text,
        report jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        CONSTRAINT machine_readings_once UNIQUE (attachment_id, facility_id)
      )`);
    await q.query(
      `CREATE INDEX machine_readings_due ON machine_readings (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE machine_findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reading_id uuid NOT NULL REFERENCES machine_readings(id) ON DELETE CASCADE,
        position integer NOT NULL,
        label text NOT NULL,
        code_system text,
        code text,
        confidence double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
        region jsonb NOT NULL,
        decision text
          CONSTRAINT machine_findings_decision_check CHECK (decision IN (${words(MACHINE_FINDING_DECISIONS)})),
        reviewed_by uuid REFERENCES users(id),
        reviewed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX machine_findings_reading ON machine_findings (reading_id, position)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['machine_findings', 'machine_readings', 'machine_readers'])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
