import { MigrationInterface, QueryRunner } from 'typeorm';
import { PACS_AUTH_KINDS, PACS_IMPORT_STATUSES } from '@caunoi/shared';

const words = (list: readonly string[]) => list.map((w) => `'${w}'`).join(', ');

/**
 * A facility's PACS (DICOMweb root, how to sign in, the secret sealed with the storage key), the
 * imports of studies into consultation requests, and which DICOM instance became which
 * attachment of a request, so that importing the same study again stores nothing twice.
 */
export class PacsImport1765657000000 implements MigrationInterface {
  name = 'PacsImport1765657000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE facility_pacs (
        facility_id uuid PRIMARY KEY REFERENCES facilities(id) ON DELETE CASCADE,
        base_url text NOT NULL,
        label text,
        auth_kind text NOT NULL CONSTRAINT facility_pacs_auth_kind_check CHECK (auth_kind IN (${words(PACS_AUTH_KINDS)})),
        username text,
        secret bytea,
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE pacs_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        consultation_id uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        facility_id uuid NOT NULL REFERENCES facilities(id),
        study_uid text NOT NULL,
        series_uids text[],
        status text NOT NULL DEFAULT 'running' CONSTRAINT pacs_imports_status_check CHECK (status IN (${words(PACS_IMPORT_STATUSES)})),
        instances_total int,
        instances_stored int NOT NULL DEFAULT 0,
        instances_skipped int NOT NULL DEFAULT 0,
        bytes_stored bigint NOT NULL DEFAULT 0,
        error_code text,
        error_message text,
        requested_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX pacs_imports_consultation ON pacs_imports (consultation_id, created_at)`,
    );
    // One import of a study into a request at a time: a second click joins the running one.
    await q.query(
      `CREATE UNIQUE INDEX pacs_imports_one_running ON pacs_imports (consultation_id, study_uid) WHERE status = 'running'`,
    );
    await q.query(`
      CREATE TABLE pacs_imported_instances (
        consultation_id uuid NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
        sop_instance_uid text NOT NULL,
        attachment_id uuid NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
        import_id uuid REFERENCES pacs_imports(id) ON DELETE SET NULL,
        PRIMARY KEY (consultation_id, sop_instance_uid)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS pacs_imported_instances`);
    await q.query(`DROP TABLE IF EXISTS pacs_imports`);
    await q.query(`DROP TABLE IF EXISTS facility_pacs`);
  }
}
