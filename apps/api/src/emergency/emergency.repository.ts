import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EmergencyCall, PersonRef } from '@caunoi/shared';
import { rowsOf } from '../common/sql';
import { exclusively } from '../database/advisory-lock';

const ESCALATION_LOCK = 0x0e_11e7; // one API instance escalates at a time

/** What claiming and ringing need to know of the request behind a call. */
export interface CallCase {
  consultationId: string;
  status: string;
  patientId: string;
  requesterId: string;
  requestingFacilityId: string;
  requestingFacilityName: string;
  targetFacilityId: string;
  specialty: string;
  claimedBy: PersonRef | null;
  claimedAt: Date | null;
  sessionId: string | null;
  rungOrder: number;
  rungAt: Date;
}

/** A call nobody claimed within the timeout. */
export interface DueCall {
  consultationId: string;
  facilityId: string;
  specialty: string;
  rungOrder: number;
  escalations: number;
}

const CALL_VIEW = `c.id AS "consultationId", ec.specialty,
  json_build_object('id', rf.id, 'name', rf.name) AS "requestingFacility",
  c.target_facility_id AS "targetFacilityId",
  to_char(ec.rung_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "rungAt",
  ec.escalations,
  CASE WHEN cu.id IS NULL THEN NULL ELSE json_build_object('id', cu.id, 'fullName', cu.full_name) END AS "claimedBy",
  ec.session_id AS "sessionId"`;

/** SQL of emergency calls (emergency_calls) and of whom each rang (emergency_rings). */
@Injectable()
export class EmergencyRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  exclusively<T>(work: () => Promise<T>): Promise<T | null> {
    return exclusively(this.db, ESCALATION_LOCK, work);
  }

  /**
   * Submitted live emergency requests that have no call (the ring after submitting failed, or
   * the API stopped in between), submitted before `before`.
   */
  unopened(before: Date): Promise<{ id: string; targetFacilityId: string; specialty: string }[]> {
    return this.db.query(
      `SELECT c.id, c.target_facility_id AS "targetFacilityId", c.specialty FROM consultations c
        WHERE c.status = 'submitted' AND c.urgency = 'emergency' AND c.mode = 'live'
          AND c.submitted_at <= $1 AND c.submitted_at > $1::timestamptz - interval '1 hour'
          AND NOT EXISTS (SELECT 1 FROM emergency_calls ec WHERE ec.consultation_id = c.id)
        LIMIT 100`,
      [before],
    );
  }

  /** Opens the call of a just-submitted emergency request (once). */
  async open(consultationId: string, facilityId: string, specialty: string, at: Date) {
    await this.db.query(
      `INSERT INTO emergency_calls (consultation_id, facility_id, specialty, rung_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (consultation_id) DO NOTHING`,
      [consultationId, facilityId, specialty, at],
    );
  }

  /**
   * Records a ring of `userIds` (tier `order`) at `at`. An escalation is guarded on the call
   * still being unclaimed and escalated `escalatedTimes` so far, so that it happens once. False if
   * the call moved meanwhile.
   */
  async ring(
    consultationId: string,
    userIds: string[],
    order: number,
    at: Date,
    escalatedTimes: number | null,
    exhausted: boolean,
  ): Promise<boolean> {
    const escalation = escalatedTimes !== null;
    return this.db.transaction(async (m) => {
      const moved = rowsOf(
        await m.query(
          `UPDATE emergency_calls SET rung_at = $2, rung_order = GREATEST(rung_order, $3),
                  escalations = escalations + $4::int, exhausted = $5
            WHERE consultation_id = $1 AND claimed_by IS NULL
              AND ($6::int IS NULL OR escalations = $6) RETURNING 1`,
          [consultationId, at, order, escalation ? 1 : 0, exhausted, escalatedTimes],
        ),
      );
      if (!moved.length) return false;
      await m.query(
        `INSERT INTO emergency_rings (consultation_id, user_id, escalation_order, rung_at)
         SELECT $1, unnest($2::uuid[]), $3, $4 ON CONFLICT DO NOTHING`,
        [consultationId, userIds, order, at],
      );
      return true;
    });
  }

  /** Unclaimed calls of still-submitted requests last rung before `before`. */
  due(before: Date): Promise<DueCall[]> {
    return this.db.query(
      `SELECT ec.consultation_id AS "consultationId", ec.facility_id AS "facilityId", ec.specialty,
              ec.rung_order AS "rungOrder", ec.escalations
         FROM emergency_calls ec JOIN consultations c ON c.id = ec.consultation_id
        WHERE ec.claimed_by IS NULL AND NOT ec.exhausted AND ec.rung_at <= $1 AND c.status = 'submitted'
        ORDER BY ec.rung_at LIMIT 100`,
      [before],
    );
  }

  async callCase(consultationId: string): Promise<CallCase | null> {
    const [row] = await this.db.query(
      `SELECT c.id AS "consultationId", c.status, c.patient_id AS "patientId", c.requester_id AS "requesterId",
              c.requesting_facility_id AS "requestingFacilityId", rf.name AS "requestingFacilityName",
              c.target_facility_id AS "targetFacilityId", ec.specialty,
              CASE WHEN cu.id IS NULL THEN NULL ELSE json_build_object('id', cu.id, 'fullName', cu.full_name) END AS "claimedBy",
              ec.claimed_at AS "claimedAt", ec.session_id AS "sessionId",
              ec.rung_order AS "rungOrder", ec.rung_at AS "rungAt"
         FROM emergency_calls ec JOIN consultations c ON c.id = ec.consultation_id
         JOIN facilities rf ON rf.id = c.requesting_facility_id
         LEFT JOIN users cu ON cu.id = ec.claimed_by
        WHERE ec.consultation_id = $1`,
      [consultationId],
    );
    return row ?? null;
  }

  async wasRung(consultationId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM emergency_rings WHERE consultation_id = $1 AND user_id = $2`,
      [consultationId, userId],
    );
    return rows.length > 0;
  }

  /** Rung for this request and nobody has claimed it yet: may read it to decide. */
  async rungAndOpen(consultationId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM emergency_rings r JOIN emergency_calls ec ON ec.consultation_id = r.consultation_id
        WHERE r.consultation_id = $1 AND r.user_id = $2 AND ec.claimed_by IS NULL`,
      [consultationId, userId],
    );
    return rows.length > 0;
  }

  async rungUsers(consultationId: string): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT user_id FROM emergency_rings WHERE consultation_id = $1`,
      [consultationId],
    );
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  /** The claim itself: a conditional UPDATE, so of concurrent claimers exactly one wins. */
  async markClaimed(m: EntityManager, consultationId: string, userId: string, at: Date) {
    const rows = rowsOf(
      await m.query(
        `UPDATE emergency_calls SET claimed_by = $2, claimed_at = $3
          WHERE consultation_id = $1 AND claimed_by IS NULL RETURNING 1`,
        [consultationId, userId, at],
      ),
    );
    return rows.length > 0;
  }

  async setSession(m: EntityManager, consultationId: string, sessionId: string): Promise<void> {
    await m.query(`UPDATE emergency_calls SET session_id = $2 WHERE consultation_id = $1`, [
      consultationId,
      sessionId,
    ]);
  }

  /** The calls still ringing this user (unclaimed, request still submitted), newest first. */
  ringing(userId: string): Promise<EmergencyCall[]> {
    return this.db.query(
      `SELECT ${CALL_VIEW}
         FROM emergency_rings r JOIN emergency_calls ec ON ec.consultation_id = r.consultation_id
         JOIN consultations c ON c.id = ec.consultation_id
         JOIN facilities rf ON rf.id = c.requesting_facility_id
         LEFT JOIN users cu ON cu.id = ec.claimed_by
        WHERE r.user_id = $1 AND ec.claimed_by IS NULL AND c.status = 'submitted'
        ORDER BY ec.created_at DESC LIMIT 50`,
      [userId],
    );
  }

  async view(consultationId: string): Promise<EmergencyCall | null> {
    const [row] = await this.db.query(
      `SELECT ${CALL_VIEW}
         FROM emergency_calls ec JOIN consultations c ON c.id = ec.consultation_id
         JOIN facilities rf ON rf.id = c.requesting_facility_id
         LEFT JOIN users cu ON cu.id = ec.claimed_by
        WHERE ec.consultation_id = $1`,
      [consultationId],
    );
    return row ?? null;
  }
}
