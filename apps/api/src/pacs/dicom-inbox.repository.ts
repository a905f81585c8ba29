import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DicomInboxStudy } from '@caunoi/shared';
import { rowsOf } from '../common/sql';
import type { InboxFacts } from './dicom-part10';

export interface InboxSettingsRow {
  facilityId: string;
  aeTitle: string;
  callingAeTitles: string[];
  updatedAt: Date;
}

export interface InboxInstance {
  id: string;
  sopInstanceUid: string;
  sha256: string;
  sizeBytes: number;
  modality: string | null;
}

const toSettings = (r: Record<string, unknown>): InboxSettingsRow => ({
  facilityId: r.facility_id as string,
  aeTitle: r.ae_title as string,
  callingAeTitles: (r.calling_ae_titles as string[]) ?? [],
  updatedAt: r.updated_at as Date,
});

@Injectable()
export class DicomInboxRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async settings(facilityId: string): Promise<InboxSettingsRow | null> {
    const rows = await this.db.query(
      `SELECT facility_id, ae_title, calling_ae_titles, updated_at FROM facility_dicom_inbox WHERE facility_id = $1`,
      [facilityId],
    );
    return rows[0] ? toSettings(rows[0]) : null;
  }

  async byAeTitle(aeTitle: string): Promise<InboxSettingsRow | null> {
    const rows = await this.db.query(
      `SELECT facility_id, ae_title, calling_ae_titles, updated_at FROM facility_dicom_inbox WHERE ae_title = $1`,
      [aeTitle],
    );
    return rows[0] ? toSettings(rows[0]) : null;
  }

  /** null when another facility already answers to that AE title. */
  async put(
    facilityId: string,
    aeTitle: string,
    callingAeTitles: string[],
    updatedBy: string,
  ): Promise<InboxSettingsRow | null> {
    const rows = await this.db.query(
      `INSERT INTO facility_dicom_inbox (facility_id, ae_title, calling_ae_titles, updated_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (facility_id) DO UPDATE SET ae_title = $2, calling_ae_titles = $3, updated_by = $4, updated_at = now()
       RETURNING facility_id, ae_title, calling_ae_titles, updated_at`,
      [facilityId, aeTitle, callingAeTitles, updatedBy],
    );
    return rows[0] ? toSettings(rows[0]) : null;
  }

  async remove(facilityId: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `DELETE FROM facility_dicom_inbox WHERE facility_id = $1 RETURNING facility_id`,
        [facilityId],
      ),
    );
    return rows.length > 0;
  }

  /** A received instance; the same SOP instance sent again replaces the earlier one. */
  async receive(i: {
    facilityId: string;
    sopInstanceUid: string;
    sha256: string;
    sizeBytes: number;
    callingAe: string;
    facts: InboxFacts & { studyUid: string };
  }): Promise<void> {
    const f = i.facts;
    await this.db.query(
      `INSERT INTO dicom_inbox_instances (facility_id, sop_instance_uid, study_uid, series_uid, sha256,
          size_bytes, patient_id, patient_name, study_date, description, modality, calling_ae)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (facility_id, sop_instance_uid) DO UPDATE SET study_uid = $3, series_uid = $4,
          sha256 = $5, size_bytes = $6, patient_id = $7, patient_name = $8, study_date = $9,
          description = $10, modality = $11, calling_ae = $12, received_at = now()`,
      [
        i.facilityId,
        i.sopInstanceUid,
        f.studyUid,
        f.seriesUid,
        i.sha256,
        i.sizeBytes,
        f.patientId,
        f.patientName,
        f.studyDate,
        f.description,
        f.modality,
        i.callingAe,
      ],
    );
  }

  async studies(
    facilityId: string,
    patientId: string | null,
    limit: number,
  ): Promise<DicomInboxStudy[]> {
    const rows = await this.db.query(
      `SELECT study_uid, max(patient_id) AS patient_id, max(patient_name) AS patient_name,
              to_char(max(study_date), 'YYYY-MM-DD') AS study_date, max(description) AS description,
              array_remove(array_agg(DISTINCT modality), NULL) AS modalities, count(*)::int AS n,
              sum(size_bytes)::bigint AS bytes, max(received_at) AS last
         FROM dicom_inbox_instances
        WHERE facility_id = $1 AND ($2::text IS NULL OR patient_id = $2)
        GROUP BY study_uid ORDER BY last DESC LIMIT $3`,
      [facilityId, patientId, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      studyUid: r.study_uid as string,
      patientId: (r.patient_id as string | null) ?? null,
      patientName: (r.patient_name as string | null) ?? null,
      studyDate: (r.study_date as string | null) ?? null,
      description: (r.description as string | null) ?? null,
      modalities: (r.modalities as string[]) ?? [],
      instanceCount: r.n as number,
      sizeBytes: Number(r.bytes),
      lastReceivedAt: (r.last as Date).toISOString(),
    }));
  }

  async instancesOf(facilityId: string, studyUid: string): Promise<InboxInstance[]> {
    const rows = await this.db.query(
      `SELECT id, sop_instance_uid, sha256, size_bytes, modality FROM dicom_inbox_instances
        WHERE facility_id = $1 AND study_uid = $2 ORDER BY series_uid, received_at`,
      [facilityId, studyUid],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      sopInstanceUid: r.sop_instance_uid as string,
      sha256: r.sha256 as string,
      sizeBytes: Number(r.size_bytes),
      modality: (r.modality as string | null) ?? null,
    }));
  }

  /** Bytes the facility's inbox holds now. */
  async bytesHeld(facilityId: string): Promise<number> {
    const [row] = await this.db.query(
      `SELECT coalesce(sum(size_bytes), 0)::bigint AS bytes FROM dicom_inbox_instances WHERE facility_id = $1`,
      [facilityId],
    );
    return Number(row.bytes);
  }
}
