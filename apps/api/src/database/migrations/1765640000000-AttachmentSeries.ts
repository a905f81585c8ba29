import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a DICOM attachment belongs in a CT/MR series: its series, study and instance UIDs, instance
 * number, position and orientation (to order the slices) and frame count. Kept beside `metadata`,
 * which stays the display summary, so the viewer and the PACS import can group and order by SQL.
 */
export class AttachmentSeries1765640000000 implements MigrationInterface {
  name = 'AttachmentSeries1765640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE attachments
        ADD COLUMN series_uid text CHECK (series_uid ~ '^[0-9.]{1,64}$'),
        ADD COLUMN study_uid text CHECK (study_uid ~ '^[0-9.]{1,64}$'),
        ADD COLUMN sop_instance_uid text CHECK (sop_instance_uid ~ '^[0-9.]{1,64}$'),
        ADD COLUMN instance_number integer,
        ADD COLUMN image_position double precision[] CHECK (cardinality(image_position) = 3),
        ADD COLUMN image_orientation double precision[] CHECK (cardinality(image_orientation) = 6),
        ADD COLUMN slice_location double precision,
        ADD COLUMN frame_count integer CHECK (frame_count >= 1)`);
    await q.query(
      `CREATE INDEX attachments_series_idx ON attachments (consultation_id, series_uid) WHERE series_uid IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS attachments_series_idx`);
    await q.query(`
      ALTER TABLE attachments
        DROP COLUMN IF EXISTS frame_count, DROP COLUMN IF EXISTS slice_location,
        DROP COLUMN IF EXISTS image_orientation, DROP COLUMN IF EXISTS image_position,
        DROP COLUMN IF EXISTS instance_number, DROP COLUMN IF EXISTS sop_instance_uid,
        DROP COLUMN IF EXISTS study_uid, DROP COLUMN IF EXISTS series_uid`);
  }
}
