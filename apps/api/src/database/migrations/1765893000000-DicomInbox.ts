import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A facility's DICOM inbox: the AE title that DICOM senders address (unique across the network:
 * it routes a received instance to one facility), who may send, and the instances received (the
 * bytes in the attachment store, by content address), until a requester attaches them.
 */
export class DicomInbox1765893000000 implements MigrationInterface {
  name = 'DicomInbox1765893000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE facility_dicom_inbox (
        facility_id uuid PRIMARY KEY REFERENCES facilities(id) ON DELETE CASCADE,
        ae_title text NOT NULL UNIQUE,
        calling_ae_titles text[] NOT NULL DEFAULT '{}',
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE dicom_inbox_instances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
        sop_instance_uid text NOT NULL,
        study_uid text NOT NULL,
        series_uid text,
        sha256 text NOT NULL,
        size_bytes bigint NOT NULL,
        patient_id text,
        patient_name text,
        study_date date,
        description text,
        modality text,
        calling_ae text,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (facility_id, sop_instance_uid)
      )`);
    await q.query(
      `CREATE INDEX dicom_inbox_instances_study ON dicom_inbox_instances (facility_id, study_uid)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS dicom_inbox_instances`);
    await q.query(`DROP TABLE IF EXISTS facility_dicom_inbox`);
  }
}
