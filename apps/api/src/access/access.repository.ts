import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConsultationMode } from '@caunoi/shared';
import type { AuthUser } from '../auth/current-user';
import { ConsultationScope, invitationLive } from './consultation-scope';

export interface ConsultationAccessRow {
  id: string;
  patientId: string;
  status: string;
  requestingFacilityId: string;
  targetFacilityId: string;
  /** inside the scope rule of consultation-scope.ts */
  visible: boolean;
  /** assigned to it, or invited to a live session covering it */
  takingPart: boolean;
}

export interface SessionAccessRow {
  id: string;
  status: string;
  organiserFacilityId: string | null;
  startsAt: Date;
  endsAt: Date;
  openedAt: Date | null;
  /** on the session's invitation list */
  invited: boolean;
  /** the invitation still grants access (a covered case is open or closed within the grace period) */
  live: boolean;
  /** the requests the session covers, with their patients (for per-patient audit rows) */
  covered: Array<{ consultationId: string; patientId: string }>;
}

/**
 * The SQL behind AccessPolicy: one consultation, patient or session checked against the rules.
 * The only place outside the sessions domain that reads who is invited to a session.
 */
@Injectable()
export class AccessRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ConsultationScope) private readonly scope: ConsultationScope,
  ) {}

  async consultation(
    user: AuthUser,
    consultationId: string,
  ): Promise<ConsultationAccessRow | null> {
    const scope = this.scope.predicate(user, 'c', 1); // $2..$6: $5 user id, $6 grace days
    const rows = await this.db.query(
      `SELECT c.id, c.patient_id, c.status, c.requesting_facility_id, c.target_facility_id,
              ${scope.sql} AS visible, ${this.scope.takingPart('c', 4)} AS taking_part
         FROM consultations c WHERE c.id = $1`,
      [consultationId, ...scope.params],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      patientId: r.patient_id,
      status: r.status,
      requestingFacilityId: r.requesting_facility_id,
      targetFacilityId: r.target_facility_id,
      visible: r.visible,
      takingPart: r.taking_part,
    };
  }

  /** null when the patient does not exist. */
  async patient(
    user: AuthUser,
    patientId: string,
  ): Promise<{ registeredHere: boolean; viaConsultation: boolean } | null> {
    const scope = this.scope.predicate(user, 'c', 2); // $3..$7
    const rows = await this.db.query(
      `SELECT (p.facility_id = $2::uuid AND $8::boolean) AS registered_here,
              EXISTS (SELECT 1 FROM consultations c WHERE c.patient_id = p.id AND ${scope.sql}) AS via_consultation
         FROM patients p WHERE p.id = $1`,
      [patientId, user.facilityId, ...scope.params, user.roles.includes('requester')],
    );
    const r = rows[0];
    return r
      ? { registeredHere: r.registered_here === true, viaConsultation: r.via_consultation === true }
      : null;
  }

  /** A session with what the user's invitation amounts to; null when it does not exist. */
  async session(sessionId: string, userId: string): Promise<SessionAccessRow | null> {
    const rows = await this.db.query(
      `SELECT s.id, s.status, s.organiser_facility_id, s.starts_at, s.ends_at, s.opened_at,
              EXISTS (SELECT 1 FROM session_participants sp WHERE sp.session_id = s.id AND sp.user_id = $2) AS invited,
              (NOT EXISTS (SELECT 1 FROM session_consultations sc WHERE sc.session_id = s.id)
               OR EXISTS (SELECT 1 FROM session_consultations sc JOIN consultations c ON c.id = sc.consultation_id
                           WHERE sc.session_id = s.id AND ${invitationLive('c', '$3')})) AS live,
              COALESCE((SELECT json_agg(json_build_object('consultationId', c.id, 'patientId', c.patient_id) ORDER BY c.id)
                          FROM session_consultations sc JOIN consultations c ON c.id = sc.consultation_id
                         WHERE sc.session_id = s.id), '[]'::json) AS covered
         FROM sessions s WHERE s.id = $1`,
      [sessionId, userId, this.scope.graceDays],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      status: r.status,
      organiserFacilityId: r.organiser_facility_id,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      openedAt: r.opened_at,
      invited: r.invited,
      live: r.live,
      covered: r.covered,
    };
  }

  /** Assigned to a written consultation (whose answer its assigned specialists write together). */
  async writtenCoAuthor(consultationId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM consultations c JOIN consultation_assignments a ON a.consultation_id = c.id
        WHERE c.id = $1 AND c.mode = $3 AND a.user_id = $2`,
      [consultationId, userId, 'written' satisfies ConsultationMode],
    );
    return rows.length > 0;
  }

  /** On the invitation list of the session (whatever the state of its cases). */
  async invited(sessionId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM session_participants WHERE session_id = $1 AND user_id = $2`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  /**
   * Of these users, the ones a session of a case between these two facilities may invite: active,
   * not admins, and of one of the two facilities or of a facility with a support link to either.
   */
  async invitable(
    userIds: string[],
    requestingFacilityId: string,
    targetFacilityId: string,
  ): Promise<string[]> {
    if (!userIds.length) return [];
    const rows = await this.db.query(
      `SELECT u.id FROM users u
        WHERE u.id = ANY($1::uuid[]) AND u.active AND NOT ('admin' = ANY(u.roles))
          AND u.facility_id IS NOT NULL
          AND (u.facility_id IN ($2::uuid, $3::uuid) OR EXISTS (
                SELECT 1 FROM support_links l
                 WHERE (l.supporter_id = u.facility_id AND l.supported_id IN ($2::uuid, $3::uuid))
                    OR (l.supported_id = u.facility_id AND l.supporter_id IN ($2::uuid, $3::uuid))))`,
      [userIds, requestingFacilityId, targetFacilityId],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  /** Assign a user to a case (a specialist who answers it in writing); idempotent. */
  async assign(consultationId: string, userId: string, assignedBy: string): Promise<void> {
    await this.db.query(
      `INSERT INTO consultation_assignments (consultation_id, user_id, assigned_by) VALUES ($1, $2, $3)
       ON CONFLICT (consultation_id, user_id) DO NOTHING`,
      [consultationId, userId, assignedBy],
    );
  }
}
