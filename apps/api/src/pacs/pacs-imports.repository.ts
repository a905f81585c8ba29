import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PacsImport, PacsImportStatus } from '@caunoi/shared';

const SELECT = `SELECT i.id, i.consultation_id, i.study_uid, i.series_uids, i.status, i.instances_total,
    i.instances_stored, i.instances_skipped, i.bytes_stored, i.error_code, i.error_message,
    i.created_at, i.finished_at, u.id AS user_id, u.full_name
  FROM pacs_imports i JOIN users u ON u.id = i.requested_by`;

const toImport = (r: Record<string, unknown>): PacsImport => ({
  id: r.id as string,
  consultationId: r.consultation_id as string,
  studyUid: r.study_uid as string,
  seriesUids: (r.series_uids as string[] | null) ?? null,
  status: r.status as PacsImportStatus,
  instancesTotal: (r.instances_total as number | null) ?? null,
  instancesStored: r.instances_stored as number,
  instancesSkipped: r.instances_skipped as number,
  bytesStored: Number(r.bytes_stored),
  error: r.error_code
    ? { code: r.error_code as string, message: (r.error_message as string) ?? '' }
    : null,
  requestedBy: { id: r.user_id as string, fullName: r.full_name as string },
  createdAt: (r.created_at as Date).toISOString(),
  finishedAt: r.finished_at ? (r.finished_at as Date).toISOString() : null,
});

export interface NewImport {
  consultationId: string;
  facilityId: string;
  studyUid: string;
  seriesUids: string[] | null;
  instancesTotal: number;
  instancesSkipped: number;
  requestedBy: string;
}

@Injectable()
export class PacsImportsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** The new import's id, or null when the same study is already being imported into the request. */
  async insert(i: NewImport): Promise<string | null> {
    const rows = await this.db.query(
      `INSERT INTO pacs_imports (consultation_id, facility_id, study_uid, series_uids, instances_total,
          instances_skipped, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (consultation_id, study_uid) WHERE status = 'running' DO NOTHING RETURNING id`,
      [
        i.consultationId,
        i.facilityId,
        i.studyUid,
        i.seriesUids,
        i.instancesTotal,
        i.instancesSkipped,
        i.requestedBy,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async findRunning(consultationId: string, studyUid: string): Promise<PacsImport | null> {
    const rows = await this.db.query(
      `${SELECT} WHERE i.consultation_id = $1 AND i.study_uid = $2 AND i.status = 'running'`,
      [consultationId, studyUid],
    );
    return rows[0] ? toImport(rows[0]) : null;
  }

  async findById(id: string): Promise<PacsImport | null> {
    const rows = await this.db.query(`${SELECT} WHERE i.id = $1`, [id]);
    return rows[0] ? toImport(rows[0]) : null;
  }

  async listFor(consultationId: string): Promise<PacsImport[]> {
    const rows = await this.db.query(
      `${SELECT} WHERE i.consultation_id = $1 ORDER BY i.created_at DESC, i.id LIMIT 50`,
      [consultationId],
    );
    return rows.map(toImport);
  }

  async progress(id: string, bytes: number): Promise<void> {
    await this.db.query(
      `UPDATE pacs_imports SET instances_stored = instances_stored + 1, bytes_stored = bytes_stored + $2,
          updated_at = now()
        WHERE id = $1`,
      [id, bytes],
    );
  }

  async skipped(id: string): Promise<void> {
    await this.db.query(
      `UPDATE pacs_imports SET instances_skipped = instances_skipped + 1, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  async finish(id: string, error: { code: string; message: string } | null): Promise<void> {
    await this.db.query(
      `UPDATE pacs_imports SET status = $2, error_code = $3, error_message = $4, finished_at = now()
        WHERE id = $1`,
      [id, error ? 'failed' : 'done', error?.code ?? null, error?.message.slice(0, 500) ?? null],
    );
  }

  /**
   * Imports that stopped moving (their server stopped mid-way) are marked failed, so that a new
   * one may start; every stored instance bumps `updated_at`, so a live import is never stale.
   */
  async failStale(consultationId: string, staleSeconds: number): Promise<void> {
    await this.db.query(
      `UPDATE pacs_imports SET status = 'failed', error_code = 'interrupted',
          error_message = 'The import stopped (the server restarted?); start it again to fetch the rest',
          finished_at = now()
        WHERE consultation_id = $1 AND status = 'running'
          AND updated_at < now() - make_interval(secs => $2)`,
      [consultationId, staleSeconds],
    );
  }

  /** Of these SOP instance UIDs, those already attached to the request by an import. */
  async alreadyImported(consultationId: string, sopUids: string[]): Promise<Set<string>> {
    if (!sopUids.length) return new Set();
    const rows: { sop_instance_uid: string }[] = await this.db.query(
      `SELECT sop_instance_uid FROM pacs_imported_instances
        WHERE consultation_id = $1 AND sop_instance_uid = ANY($2::text[])`,
      [consultationId, sopUids],
    );
    return new Set(rows.map((r) => r.sop_instance_uid));
  }

  async recordInstance(
    consultationId: string,
    sopUid: string,
    attachmentId: string,
    importId: string | null,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO pacs_imported_instances (consultation_id, sop_instance_uid, attachment_id, import_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [consultationId, sopUid, attachmentId, importId],
    );
  }

  async attachmentCount(consultationId: string): Promise<number> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS files FROM attachments WHERE consultation_id = $1`,
      [consultationId],
    );
    return row.files as number;
  }
}
