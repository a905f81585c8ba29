import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The machine-reading job looks for recent DICOM attachments every few seconds on every API
 * instance; without this index that is a scan of the whole attachments table each time.
 */
export class RecentDicomIndex1765912000000 implements MigrationInterface {
  name = 'RecentDicomIndex1765912000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX attachments_dicom_created ON attachments (created_at) WHERE kind = 'dicom'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS attachments_dicom_created`);
  }
}
