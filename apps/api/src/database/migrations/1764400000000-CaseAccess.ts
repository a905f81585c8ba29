import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who sees a case is narrowed to the people taking part in it: a specialist of the target facility
 * needs an assignment to the case (or an invitation to one of its sessions), and what an invitation
 * grants ends a configurable time after the case is closed — hence `closed_at`, the moment a
 * request reached a final state (completed, declined, cancelled).
 */
export class CaseAccess1764400000000 implements MigrationInterface {
  name = 'CaseAccess1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consultations ADD COLUMN closed_at timestamptz`);
    await q.query(`
      UPDATE consultations c SET closed_at = COALESCE(
        (SELECT max(t.at) FROM consultation_transitions t
          WHERE t.consultation_id = c.id AND t.to_status = c.status), c.updated_at)
       WHERE c.status IN ('completed','declined','cancelled')`);
    await q.query(`
      CREATE TABLE consultation_assignments (
        consultation_id uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id),
        assigned_by uuid REFERENCES users(id),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consultation_id, user_id)
      )`);
    await q.query(
      `CREATE INDEX consultation_assignments_user_idx ON consultation_assignments (user_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS consultation_assignments`);
    await q.query(`ALTER TABLE consultations DROP COLUMN IF EXISTS closed_at`);
  }
}
