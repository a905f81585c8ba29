import { Inject, Injectable } from '@nestjs/common';
import type { RecordingStatus, RecordingTrack } from '@caunoi/shared';
import { DataSource } from 'typeorm';
import { rowsOf } from '../common/sql';

export interface RecordingRow {
  id: string;
  sessionId: string;
  status: RecordingStatus;
  startedAt: Date;
  startedBy: { id: string; fullName: string };
  endedAt: Date | null;
  durationSeconds: number | null;
  sizeBytes: number | null;
  sha256: string | null;
  tracks: RecordingTrack[];
  failureReason: string | null;
  consentWithdrawnAt: Date | null;
}

/** Facts about a session a recording decision needs: who chairs and organises, what it covers. */
export interface CoveredPatient {
  consultationId: string;
  patientId: string;
  requestingFacilityId: string;
  targetFacilityId: string;
}

const SELECT = `SELECT r.*, u.full_name AS started_by_name FROM recordings r JOIN users u ON u.id = r.started_by`;

const toRow = (r: Record<string, unknown>): RecordingRow => ({
  id: r.id as string,
  sessionId: r.session_id as string,
  status: r.status as RecordingStatus,
  startedAt: r.started_at as Date,
  startedBy: { id: r.started_by as string, fullName: r.started_by_name as string },
  endedAt: (r.ended_at as Date) ?? null,
  durationSeconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
  sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
  sha256: (r.sha256 as string) ?? null,
  tracks: (r.tracks as RecordingTrack[]) ?? [],
  failureReason: (r.failure_reason as string) ?? null,
  consentWithdrawnAt: (r.consent_withdrawn_at as Date) ?? null,
});

/** SQLSTATE of a unique violation: the session already has a recording in progress. */
export const UNIQUE_VIOLATION = '23505';

@Injectable()
export class RecordingsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async covered(sessionId: string): Promise<CoveredPatient[]> {
    const rows = await this.db.query(
      `SELECT c.id, c.patient_id, c.requesting_facility_id, c.target_facility_id
         FROM session_consultations sc JOIN consultations c ON c.id = sc.consultation_id
        WHERE sc.session_id = $1 ORDER BY c.id`,
      [sessionId],
    );
    return rows.map((r: Record<string, string>) => ({
      consultationId: r.id,
      patientId: r.patient_id,
      requestingFacilityId: r.requesting_facility_id,
      targetFacilityId: r.target_facility_id,
    }));
  }

  async isChair(sessionId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM minutes mi JOIN session_consultations sc ON sc.consultation_id = mi.consultation_id
        WHERE sc.session_id = $1 AND mi.chair_id = $2 LIMIT 1`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  /** Throws a unique violation when the session is already being recorded. */
  async insert(sessionId: string, startedBy: string): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO recordings (session_id, started_by) VALUES ($1, $2) RETURNING id`,
      [sessionId, startedBy],
    );
    return row.id as string;
  }

  async findById(id: string): Promise<RecordingRow | null> {
    const rows = await this.db.query(`${SELECT} WHERE r.id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async active(sessionId: string): Promise<RecordingRow | null> {
    const rows = await this.db.query(
      `${SELECT} WHERE r.session_id = $1 AND r.status = 'recording'`,
      [sessionId],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async listFor(sessionId: string): Promise<RecordingRow[]> {
    const rows = await this.db.query(
      `${SELECT} WHERE r.session_id = $1 ORDER BY r.started_at, r.id`,
      [sessionId],
    );
    return rows.map(toRow);
  }

  /** The stop was asked: the SFU now finishes the files (status stays `recording`). */
  async markStopping(id: string, by: string | null): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE recordings SET ended_at = coalesce(ended_at, now()), stopped_by = coalesce(stopped_by, $2)
          WHERE id = $1 AND status = 'recording' RETURNING id`,
        [id, by],
      ),
    );
    return rows.length > 0;
  }

  async markFinished(
    id: string,
    r: { durationSeconds: number; sizeBytes: number; sha256: string; tracks: RecordingTrack[] },
  ): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE recordings SET status = 'finished', ended_at = coalesce(ended_at, now()), finished_at = now(),
                duration_seconds = $2, size_bytes = $3, sha256 = $4, tracks = $5::jsonb
          WHERE id = $1 AND status = 'recording' RETURNING id`,
        [id, r.durationSeconds, r.sizeBytes, r.sha256, JSON.stringify(r.tracks)],
      ),
    );
    return rows.length > 0;
  }

  async markFailed(id: string, reason: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE recordings SET status = 'failed', ended_at = coalesce(ended_at, now()), finished_at = now(),
                failure_reason = $2
          WHERE id = $1 AND status = 'recording' RETURNING id`,
        [id, reason.slice(0, 500)],
      ),
    );
    return rows.length > 0;
  }

  /** Stopped longer ago than `before` without a result from the SFU: marked failed. */
  async failStale(before: Date, reason: string): Promise<Array<{ id: string; sessionId: string }>> {
    const rows = rowsOf<{ id: string; session_id: string }>(
      await this.db.query(
        `UPDATE recordings SET status = 'failed', finished_at = now(), failure_reason = $2
          WHERE status = 'recording' AND ended_at < $1 RETURNING id, session_id`,
        [before, reason],
      ),
    );
    return rows.map((r) => ({ id: r.id, sessionId: r.session_id }));
  }

  /** Flag (once) recordings of patients who withdrew the recording consent after them. */
  async flagConsentWithdrawn(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.query(
      `UPDATE recordings SET consent_withdrawn_at = now() WHERE id = ANY($1) AND consent_withdrawn_at IS NULL`,
      [ids],
    );
  }

  /** Chat of the session, in order (for playback: shown at their times). */
  async chat(
    sessionId: string,
    limit = 2000,
  ): Promise<Array<{ at: Date; author: string; text: string }>> {
    const rows = await this.db.query(
      `SELECT m.created_at, u.full_name, m.text FROM chat_messages m JOIN users u ON u.id = m.author_id
        WHERE m.session_id = $1 ORDER BY m.created_at, m.id LIMIT $2`,
      [sessionId, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      at: r.created_at as Date,
      author: r.full_name as string,
      text: r.text as string,
    }));
  }
}
