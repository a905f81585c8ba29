import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PacsAuthKind } from '@caunoi/shared';
import { rowsOf } from '../common/sql';

/** A facility's PACS row as stored: the secret still sealed. */
export interface PacsConfigRow {
  facilityId: string;
  baseUrl: string;
  label: string | null;
  authKind: PacsAuthKind;
  username: string | null;
  sealedSecret: Buffer | null;
  updatedAt: Date;
}

const toRow = (r: Record<string, unknown>): PacsConfigRow => ({
  facilityId: r.facility_id as string,
  baseUrl: r.base_url as string,
  label: (r.label as string | null) ?? null,
  authKind: r.auth_kind as PacsAuthKind,
  username: (r.username as string | null) ?? null,
  sealedSecret: (r.secret as Buffer | null) ?? null,
  updatedAt: r.updated_at as Date,
});

@Injectable()
export class PacsConfigRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async find(facilityId: string): Promise<PacsConfigRow | null> {
    const rows = await this.db.query(
      `SELECT facility_id, base_url, label, auth_kind, username, secret, updated_at
         FROM facility_pacs WHERE facility_id = $1`,
      [facilityId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async upsert(
    row: Omit<PacsConfigRow, 'updatedAt'> & { updatedBy: string },
  ): Promise<PacsConfigRow> {
    const rows = await this.db.query(
      `INSERT INTO facility_pacs (facility_id, base_url, label, auth_kind, username, secret, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (facility_id) DO UPDATE SET base_url = $2, label = $3, auth_kind = $4,
         username = $5, secret = $6, updated_by = $7, updated_at = now()
       RETURNING facility_id, base_url, label, auth_kind, username, secret, updated_at`,
      [
        row.facilityId,
        row.baseUrl,
        row.label,
        row.authKind,
        row.username,
        row.sealedSecret,
        row.updatedBy,
      ],
    );
    return toRow(rows[0]);
  }

  async remove(facilityId: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `DELETE FROM facility_pacs WHERE facility_id = $1 RETURNING facility_id`,
        [facilityId],
      ),
    );
    return rows.length > 0;
  }
}
