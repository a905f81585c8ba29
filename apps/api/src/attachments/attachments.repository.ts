import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Attachment, AttachmentFormat } from '@caunoi/shared';

const SELECT = `SELECT a.id, a.consultation_id, a.sha256, a.kind, a.media_type, a.file_name, a.size_bytes, a.metadata,
    a.created_at, u.id AS user_id, u.full_name FROM attachments a JOIN users u ON u.id = a.uploaded_by`;

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
});

@Injectable()
export class AttachmentsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async insert(
    a: Omit<Attachment, 'id' | 'uploadedBy' | 'createdAt'> & { uploadedBy: string },
  ): Promise<string> {
    const rows = await this.db.query(
      `INSERT INTO attachments (consultation_id, sha256, kind, media_type, file_name, size_bytes, metadata, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        a.consultationId,
        a.sha256,
        a.kind,
        a.mediaType,
        a.fileName,
        a.sizeBytes,
        a.metadata,
        a.uploadedBy,
      ],
    );
    return rows[0].id;
  }

  async findById(id: string): Promise<Attachment | null> {
    const rows = await this.db.query(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ? toAttachment(rows[0]) : null;
  }

  async listFor(consultationId: string): Promise<Attachment[]> {
    const rows = await this.db.query(
      `${SELECT} WHERE a.consultation_id = $1 ORDER BY a.created_at, a.id`,
      [consultationId],
    );
    return rows.map(toAttachment);
  }
}
