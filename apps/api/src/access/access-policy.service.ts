import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/current-user';
import { forbidden, notFound } from '../common/errors';
import { AccessRepository } from './access.repository';

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
 * Another domain (sessions, say) can widen access without touching the rule: register an
 * extension that answers "is this user related to this consultation" in your module's
 * onModuleInit. Extensions apply to single reads and actions; list queries use the SQL scope.
 */
export type ConsultationAccessExtension = (
  user: AuthUser,
  consultationId: string,
) => Promise<boolean>;

/**
 * The single place that answers "may this user see that consultation / patient / attachment".
 * The rule itself is one SQL predicate (consultation-scope.ts). Anything outside the caller's
 * scope is reported as 404 so that existence does not leak.
 */
@Injectable()
export class AccessPolicy {
  private readonly extensions: ConsultationAccessExtension[] = [];

  constructor(@Inject(AccessRepository) private readonly repo: AccessRepository) {}

  registerExtension(ext: ConsultationAccessExtension): void {
    this.extensions.push(ext);
  }

  /** Throws 404 unless the consultation exists and is in the user's scope. */
  async consultation(user: AuthUser, consultationId: string): Promise<ConsultationRelation> {
    const row = await this.repo.consultation(user, consultationId);
    if (!row) throw notFound('Consultation');
    let visible = row.visible;
    for (const ext of this.extensions) {
      if (visible) break;
      visible = await ext(user, consultationId);
    }
    if (!visible) throw notFound('Consultation');
    const atTarget = user.facilityId === row.targetFacilityId;
    return {
      consultationId: row.id,
      patientId: row.patientId,
      status: row.status,
      requestingFacilityId: row.requestingFacilityId,
      targetFacilityId: row.targetFacilityId,
      onRequesterSide:
        user.roles.includes('requester') && user.facilityId === row.requestingFacilityId,
      isTargetCoordinator: user.roles.includes('coordinator') && atTarget,
      isClinicalParticipant:
        row.participant ||
        (atTarget && (user.roles.includes('coordinator') || user.roles.includes('specialist'))),
    };
  }

  /**
   * A patient is visible to requesters of the facility that registered them, and to whoever can
   * see one of the patient's consultations. Throws 404 otherwise.
   */
  async patient(user: AuthUser, patientId: string): Promise<{ registeredHere: boolean }> {
    const row = await this.repo.patient(user, patientId);
    if (!row || !(row.registeredHere || row.viaConsultation)) throw notFound('Patient');
    return { registeredHere: row.registeredHere };
  }

  /** For actions reserved to one side: a visible consultation but the wrong role is 403, not 404. */
  require(condition: boolean, message: string): void {
    if (!condition) throw forbidden(message);
  }
}
