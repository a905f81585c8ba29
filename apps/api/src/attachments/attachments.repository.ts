import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Attachment, AttachmentFormat } from '@caunoi/shared';
import type { DicomSeriesTags } from './dicom-metadata';
import type { SeriesMember } from './series-order';

const SELECT = `SELECT a.id, a.consultation_id, a.sha256, a.kind, a.media_type, a.file_name, a.size_bytes, a.metadata,
    a.created_at, u.id AS user_id, u.full_name, a.series_uid, a.study_uid, a.instance_number, a.frame_count,
    a.image_position, a.image_orientation, a.slice_location, a.sop_instance_uid
    FROM attachments a JOIN users u ON u.id = a.uploaded_by`;

/** An attachment with what ordering its series needs (positions stay out of the answers). */
export interface StoredAttachment {
  attachment: Attachment;
  slice: SeriesMember | null;
}

// A multi-frame file says so whether or not it belongs to a series.
const multiFrame = (n: unknown) => (typeof n === 'number' && n > 1 ? { frames: n } : {});
const nums = (v: unknown) => (Array.isArray(v) ? v.map(Number) : null);

const toAttachment = (r: Record<string, unknown>): Attachment => ({
  id: r.id as string,
  consultationId: r.consultation_id as string,
  sha256: r.sha256 as string,
  kind: r.kind as AttachmentFormat,
  mediaType: r.media_type as string,
  fileName: r.file_name as string,
  sizeBytes: Number(r.size_bytes),
  metadata: r.metadata as Record<string, unknown>,
  uploadedBy: { id: r.user_id as string, fullName: r.full_name as string },
  createdAt: (r.created_at as Date).toISOString(),
  series: r.series_uid
    ? {
        uid: r.series_uid as string,
        studyUid: (r.study_uid as string | null) ?? null,
        instanceNumber: (r.instance_number as number | null) ?? null,
        frames: (r.frame_count as number | null) ?? 1,
      }
    : null,
  ...multiFrame(r.frame_count),
});

const toStored = (r: Record<string, unknown>): StoredAttachment => ({
  attachment: toAttachment(r),
  slice: r.series_uid
    ? {
        id: r.id as string,
        sopInstanceUid: (r.sop_instance_uid as string | null) ?? null,
        instanceNumber: (r.instance_number as number | null) ?? null,
        position: nums(r.image_position),
        orientation: nums(r.image_orientation),
        sliceLocation: r.slice_location === null ? null : Number(r.slice_location),
        createdAt: r.created_at as Date,
      }
    : null,
});

@Injectable()
export class AttachmentsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async insert(
    a: Omit<Attachment, 'id' | 'uploadedBy' | 'createdAt' | 'series'> & { uploadedBy: string },
    series?: DicomSeriesTags,
    /** NumberOfFrames of a DICOM without a series (a series' own count is in its tags). */
    frames?: number,
  ): Promise<string> {
    const rows = await this.db.query(
      `INSERT INTO attachments (consultation_id, sha256, kind, media_type, file_name, size_bytes, metadata, uploaded_by,
         series_uid, study_uid, sop_instance_uid, instance_number, image_position, image_orientation, slice_location, frame_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
      [
        a.consultationId,
        a.sha256,
        a.kind,
        a.mediaType,
        a.fileName,
        a.sizeBytes,
        a.metadata,
        a.uploadedBy,
        series?.seriesUid ?? null,
        series?.studyUid ?? null,
        series?.sopInstanceUid ?? null,
        series?.instanceNumber ?? null,
        series?.position ?? null,
        series?.orientation ?? null,
        series?.sliceLocation ?? null,
        series?.frames ?? frames ?? null,
      ],
    );
    return rows[0].id;
  }

  async findById(id: string): Promise<Attachment | null> {
    const rows = await this.db.query(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ? toAttachment(rows[0]) : null;
  }

  async listFor(consultationId: string): Promise<Attachment[]> {
    return (await this.listStored(consultationId)).map((s) => s.attachment);
  }

  /** In upload order, with each DICOM instance's ordering tags. */
  async listStored(consultationId: string): Promise<StoredAttachment[]> {
    const rows = await this.db.query(
      `${SELECT} WHERE a.consultation_id = $1 ORDER BY a.created_at, a.id`,
      [consultationId],
    );
    return rows.map(toStored);
  }
}
