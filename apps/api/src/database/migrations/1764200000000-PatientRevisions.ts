import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A correction of a patient's identity data keeps what it replaced: the data subject may ask for
 * a correction, and a clinician reading old minutes must still see who the patient was said to be.
 * Insert-only for the application role (see database/app-role.ts).
 */
export class PatientRevisions1764200000000 implements MigrationInterface {
  name = 'PatientRevisions1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE patient_revisions (
        id bigserial PRIMARY KEY,
        patient_id uuid NOT NULL REFERENCES patients(id),
        changed_by uuid NOT NULL REFERENCES users(id),
        changed_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        before jsonb NOT NULL,
        after jsonb NOT NULL
      )`);
    await q.query(
      `CREATE INDEX patient_revisions_patient_idx ON patient_revisions (patient_id, changed_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS patient_revisions`);
  }
}
