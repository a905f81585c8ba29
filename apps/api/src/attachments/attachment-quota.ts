import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiException } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config.module';

const quotaExceeded = (message: string) =>
  new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, message, [{ path: 'file', message }]);

const MiB = 1024 * 1024;
const size = (bytes: number) =>
  bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(1)} GiB` : `${Math.round(bytes / MiB)} MiB`;

/**
 * Storage quotas, so that one consultation or one site cannot fill the attachment store that every
 * other site depends on. Counted in logical bytes (what was uploaded), whatever deduplication saves.
 */
@Injectable()
export class AttachmentQuota {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Refuses (413 naming `file`) an upload of `incomingBytes` that would exceed a quota. */
  async check(
    consultationId: string,
    requestingFacilityId: string,
    incomingBytes: number,
  ): Promise<void> {
    const [usage] = await this.db.query(
      `SELECT (SELECT count(*) FROM attachments WHERE consultation_id = $1)::int AS files,
              (SELECT coalesce(sum(size_bytes), 0) FROM attachments WHERE consultation_id = $1)::bigint AS bytes,
              (SELECT coalesce(sum(a.size_bytes), 0) FROM attachments a
                 JOIN consultations c ON c.id = a.consultation_id
                WHERE c.requesting_facility_id = $2)::bigint AS facility_bytes`,
      [consultationId, requestingFacilityId],
    );
    const c = this.config;
    if (usage.files + 1 > c.MAX_ATTACHMENTS_PER_CONSULTATION)
      throw quotaExceeded(
        `This request already has ${usage.files} files, the most one request may hold`,
      );
    if (Number(usage.bytes) + incomingBytes > c.MAX_CONSULTATION_ATTACHMENT_BYTES)
      throw quotaExceeded(
        `The files of one request may total ${size(c.MAX_CONSULTATION_ATTACHMENT_BYTES)}; this one would exceed it`,
      );
    if (Number(usage.facility_bytes) + incomingBytes > c.FACILITY_ATTACHMENT_QUOTA_BYTES)
      throw quotaExceeded(
        `Your facility's attachment quota (${size(c.FACILITY_ATTACHMENT_QUOTA_BYTES)}) is used up; ask the administrator`,
      );
  }
}
