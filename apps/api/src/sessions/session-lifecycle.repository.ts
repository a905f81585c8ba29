import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { SessionEndReason, SessionStatus } from '@caunoi/shared';
import { rowsOf } from '../common/sql';
import { exclusively } from '../database/advisory-lock';

/** One lifecycle job at a time across every API instance (a transaction-scoped advisory lock). */
const SWEEP_LOCK = 0x5e55_10c;

/** The SQL of a session's life after booking: start, end, and telling the SFU. */
@Injectable()
export class SessionLifecycleRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Runs `work` unless another instance is sweeping right now (then null). */
  exclusively<T>(work: () => Promise<T>): Promise<T | null> {
    return exclusively(this.db, SWEEP_LOCK, work);
  }

  /**
   * in_progress → ended, guarded so that of several callers (the chair, a coordinator, the job on
   * several instances) exactly one makes the move; its times for the history row, else null.
   */
  async markEnded(
    m: EntityManager,
    id: string,
    at: Date,
    by: string | null,
    reason: SessionEndReason,
  ): Promise<{ startsAt: Date; endsAt: Date } | null> {
    const [row] = rowsOf(
      await m.query(
        `UPDATE sessions SET status = 'ended', ended_at = $2, ended_by = $3, end_reason = $4,
                sfu_notified_at = NULL, sequence = sequence + 1, updated_at = now()
          WHERE id = $1 AND status = 'in_progress' RETURNING starts_at, ends_at`,
        [id, at, by, reason],
      ),
    ) as { starts_at: Date; ends_at: Date }[];
    return row ? { startsAt: row.starts_at, endsAt: row.ends_at } : null;
  }

  /** Whoever the SFU did not report leaving has left when the session ends. */
  async closeAttendance(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE attendance SET left_at = GREATEST($2::timestamptz, joined_at)
        WHERE session_id = $1 AND left_at IS NULL`,
      [id, at],
    );
  }

  async status(id: string): Promise<SessionStatus | null> {
    const [row] = await this.db.query(`SELECT status FROM sessions WHERE id = $1`, [id]);
    return row?.status ?? null;
  }

  /** The chair named in the minutes of a request this session covers. */
  async isChair(sessionId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM minutes mi JOIN session_consultations sc ON sc.consultation_id = mi.consultation_id
        WHERE sc.session_id = $1 AND mi.chair_id = $2 LIMIT 1`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  /** Scheduled sessions whose time has come with someone already in the room (joined early). */
  async dueToStart(now: Date, roomClosesAfterMs: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT s.id FROM sessions s
        WHERE s.status = 'scheduled' AND s.starts_at <= $1
          AND s.ends_at + make_interval(secs => $2::double precision / 1000) > $1
          AND EXISTS (SELECT 1 FROM attendance a
                       WHERE a.session_id = s.id AND a.left_at IS NULL AND a.joined_at <= $1)`,
      [now, roomClosesAfterMs],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  /**
   * Sessions in progress past their end + grace with nobody in the room, or past the overrun
   * limit whatever the attendance says (a leave the SFU never reported must not keep it open).
   */
  async dueToEnd(now: Date, graceMs: number, maxOverrunMs: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT s.id FROM sessions s
        WHERE s.status = 'in_progress'
          AND s.ends_at + make_interval(secs => $2::double precision / 1000) < $1
          AND (s.ends_at + make_interval(secs => $3::double precision / 1000) < $1
               OR NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.left_at IS NULL))`,
      [now, graceMs, maxOverrunMs],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  /** Ended or cancelled sessions whose room the SFU has not yet confirmed closing (last day). */
  async roomsToClose(now: Date): Promise<{ id: string; reason: string }[]> {
    const rows = await this.db.query(
      `SELECT id, COALESCE(end_reason, status) AS reason FROM sessions
        WHERE sfu_notified_at IS NULL AND status IN ('ended', 'cancelled')
          AND updated_at > $1::timestamptz - interval '1 day'`,
      [now],
    );
    return rows.map((r: { id: string; reason: string }) => ({ id: r.id, reason: r.reason }));
  }

  async markRoomClosed(id: string): Promise<void> {
    await this.db.query(`UPDATE sessions SET sfu_notified_at = now() WHERE id = $1`, [id]);
  }
}
