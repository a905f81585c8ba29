import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OnCallShift } from '@caunoi/shared';

export interface NewShift {
  facilityId: string;
  userId: string;
  specialty: string;
  startsAt: string;
  endsAt: string;
  order: number;
  createdBy: string;
}

/** Someone on duty now, with the escalation tier they belong to. */
export interface OnDuty {
  userId: string;
  order: number;
}

const SHIFT_COLUMNS = `s.id, s.facility_id AS "facilityId",
  json_build_object('id', u.id, 'fullName', u.full_name) AS specialist, s.specialty,
  to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startsAt",
  to_char(s.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "endsAt",
  s.escalation_order AS "order"`;

/** The on-call roster's SQL (on_call_shifts). */
@Injectable()
export class RosterRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  list(facilityId: string, from: string, to: string, specialty?: string): Promise<OnCallShift[]> {
    return this.db.query(
      `SELECT ${SHIFT_COLUMNS} FROM on_call_shifts s JOIN users u ON u.id = s.user_id
        WHERE s.facility_id = $1 AND s.starts_at < $3 AND s.ends_at > $2
          AND ($4::text IS NULL OR lower(s.specialty) = lower($4))
        ORDER BY s.starts_at, s.escalation_order, u.full_name`,
      [facilityId, from, to, specialty ?? null],
    );
  }

  async findById(id: string): Promise<OnCallShift | null> {
    const [row] = await this.db.query(
      `SELECT ${SHIFT_COLUMNS} FROM on_call_shifts s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
      [id],
    );
    return row ?? null;
  }

  async insert(s: NewShift): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO on_call_shifts (facility_id, user_id, specialty, starts_at, ends_at, escalation_order, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [s.facilityId, s.userId, s.specialty, s.startsAt, s.endsAt, s.order, s.createdBy],
    );
    return row.id;
  }

  async delete(id: string): Promise<void> {
    await this.db.query(`DELETE FROM on_call_shifts WHERE id = $1`, [id]);
  }

  /** The same person's shifts for the same specialty that overlap the window. */
  overlapping(
    userId: string,
    specialty: string,
    startsAt: string,
    endsAt: string,
  ): Promise<OnCallShift[]> {
    return this.db.query(
      `SELECT ${SHIFT_COLUMNS} FROM on_call_shifts s JOIN users u ON u.id = s.user_id
        WHERE s.user_id = $1 AND lower(s.specialty) = lower($2) AND s.starts_at < $4 AND s.ends_at > $3
        ORDER BY s.starts_at`,
      [userId, specialty, startsAt, endsAt],
    );
  }

  async isActiveSpecialistOf(facilityId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM users WHERE id = $1 AND facility_id = $2 AND active AND 'specialist' = ANY(roles)`,
      [userId, facilityId],
    );
    return rows.length > 0;
  }

  /**
   * The next tier on duty at `at`: the active specialists whose shift for the specialty covers
   * `at`, with the smallest escalation order above `afterOrder`.
   */
  nextTier(facilityId: string, specialty: string, at: Date, afterOrder: number): Promise<OnDuty[]> {
    return this.db.query(
      `WITH duty AS (
         SELECT s.user_id, s.escalation_order FROM on_call_shifts s JOIN users u ON u.id = s.user_id
          WHERE s.facility_id = $1 AND lower(s.specialty) = lower($2)
            AND s.starts_at <= $3 AND s.ends_at > $3 AND s.escalation_order > $4
            AND u.active AND u.facility_id = s.facility_id AND 'specialist' = ANY(u.roles))
       SELECT DISTINCT user_id AS "userId", escalation_order AS "order" FROM duty
        WHERE escalation_order = (SELECT min(escalation_order) FROM duty)`,
      [facilityId, specialty, at, afterOrder],
    );
  }

  async coordinatorsOf(facilityId: string): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT id FROM users WHERE facility_id = $1 AND active AND 'coordinator' = ANY(roles)`,
      [facilityId],
    );
    return rows.map((r: { id: string }) => r.id);
  }
}
