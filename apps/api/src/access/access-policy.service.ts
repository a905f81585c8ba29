import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { forbidden, notFound } from '../common/errors';
import { consultationScope } from './consultation-scope';

/** What the caller may do with a consultation they can see. */
export interface ConsultationRelation {
  consultationId: string;
  patientId: string;
  status: string;
  requestingFacilityId: string;
  targetFacilityId: string;
  /** requester at the requesting facility */
  onRequesterSide: boolean;
  /** coordinator at the target facility */
  isTargetCoordinator: boolean;
  /** coordinator or specialist at the target facility, or invited to a covering session */
  isClinicalParticipant: boolean;
}

/**
 * Issue 4 (or any later domain) can widen access without touching this file's rule: register an
 * extension that answers "is this user related to this consultation" in your module's onModuleInit.
 */
export type ConsultationAccessExtension = (user: AuthUser, consultationId: string) => Promise<boolean>;

/**
 * The single place that answers "may this user see that consultation / patient / attachment".
 * Anything outside the caller's scope is reported as 404 so that existence does not leak.
 */
@Injectable()
export class AccessPolicy {
  private readonly extensions: ConsultationAccessExtension[] = [];

  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  registerExtension(ext: ConsultationAccessExtension): void {
    this.extensions.push(ext);
  }

  /** Throws 404 unless the consultation exists and is in the user's scope. */
  async consultation(user: AuthUser, consultationId: string): Promise<ConsultationRelation> {
    const scope = consultationScope(user, 'c', 1);
    const rows = await this.db.query(
      `SELECT c.id, c.patient_id, c.status, c.requesting_facility_id, c.target_facility_id, ${scope.sql} AS visible,
              EXISTS (SELECT 1 FROM session_consultations sc JOIN sessions s ON s.id = sc.session_id AND s.status <> 'cancelled'
                        JOIN session_participants sp ON sp.session_id = s.id AND sp.user_id = $5
                       WHERE sc.consultation_id = c.id) AS participant
         FROM consultations c WHERE c.id = $1`,
      [consultationId, ...scope.params],
    );
    const row = rows[0];
    if (!row) throw notFound('Consultation');
    let visible: boolean = row.visible;
    if (!visible) {
      for (const ext of this.extensions) if (await ext(user, consultationId)) visible = true;
    }
    if (!visible) throw notFound('Consultation');
    const atTarget = user.facilityId === row.target_facility_id;
    return {
      consultationId: row.id,
      patientId: row.patient_id,
      status: row.status,
      requestingFacilityId: row.requesting_facility_id,
      targetFacilityId: row.target_facility_id,
      onRequesterSide: user.roles.includes('requester') && user.facilityId === row.requesting_facility_id,
      isTargetCoordinator: user.roles.includes('coordinator') && atTarget,
      isClinicalParticipant:
        row.participant || (atTarget && (user.roles.includes('coordinator') || user.roles.includes('specialist'))),
    };
  }

  /**
   * A patient is visible to requesters of the facility that registered them, and to whoever can
   * see one of the patient's consultations. Throws 404 otherwise.
   */
  async patient(user: AuthUser, patientId: string): Promise<{ registeredHere: boolean }> {
    const scope = consultationScope(user, 'c', 2); // uses $3..$6
    const rows = await this.db.query(
      `SELECT (p.facility_id = $2::uuid AND $7::boolean) AS registered_here,
              EXISTS (SELECT 1 FROM consultations c WHERE c.patient_id = p.id AND ${scope.sql}) AS via_consultation
         FROM patients p WHERE p.id = $1`,
      [patientId, user.facilityId, ...scope.params, user.roles.includes('requester')],
    );
    const row = rows[0];
    if (!row || !(row.registered_here || row.via_consultation)) throw notFound('Patient');
    return { registeredHere: row.registered_here };
  }

  /** For actions reserved to one side: a visible consultation but the wrong role is 403, not 404. */
  require(condition: boolean, message: string): void {
    if (!condition) throw forbidden(message);
  }
}
