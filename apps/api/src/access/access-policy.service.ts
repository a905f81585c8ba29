import { Inject, Injectable } from '@nestjs/common';
import { AuditService, AuditTarget } from '../audit/audit.service';
import { Actor, AuthUser, hasRole } from '../auth/current-user';
import { forbidden, notFound } from '../common/errors';
import { AccessRepository, SessionAccessRow } from './access.repository';

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
  /** coordinator at the target facility, or assigned to the case, or invited to a live session of it */
  isClinicalParticipant: boolean;
}

/** A session the caller may see, and in which capacity. */
export interface SessionMembership extends Omit<SessionAccessRow, 'invited' | 'live'> {
  /** invited, and the invitation still grants access: may enter, chat, join the media room */
  participant: boolean;
  /** coordinator of the organising facility: may move, cancel, open early, hand the floor over */
  organiser: boolean;
}

/**
 * Another domain can widen access without touching the rule: register an extension that answers
 * "is this user related to this consultation" in your module's onModuleInit. Extensions apply to
 * single reads and actions; list queries use the SQL scope.
 */
export type ConsultationAccessExtension = (
  user: AuthUser,
  consultationId: string,
) => Promise<boolean>;

/**
 * The single place that answers "may this user see that consultation / patient / session, and
 * as what". The consultation rule itself is one SQL predicate (consultation-scope.ts). Anything
 * outside the caller's scope is reported as 404 so that existence does not leak, and every
 * refusal leaves an `access.refused` audit row (with the patient when the thing exists).
 */
@Injectable()
export class AccessPolicy {
  private readonly extensions: ConsultationAccessExtension[] = [];

  constructor(
    @Inject(AccessRepository) private readonly repo: AccessRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  registerExtension(ext: ConsultationAccessExtension): void {
    this.extensions.push(ext);
  }

  /** Throws 404 unless the consultation exists and is in the user's scope. */
  async consultation(actor: Actor, consultationId: string): Promise<ConsultationRelation> {
    const user = actor.user;
    const row = await this.repo.consultation(user, consultationId);
    let visible = row?.visible ?? false;
    for (const ext of this.extensions) {
      if (visible || !row) break;
      visible = await ext(user, consultationId);
    }
    if (!row || !visible) {
      await this.refused(actor, {
        type: 'consultation',
        id: consultationId,
        patientId: row?.patientId,
      });
      throw notFound('Consultation');
    }
    const atTarget = user.facilityId === row.targetFacilityId;
    const isTargetCoordinator = hasRole(user, 'coordinator') && atTarget;
    return {
      consultationId: row.id,
      patientId: row.patientId,
      status: row.status,
      requestingFacilityId: row.requestingFacilityId,
      targetFacilityId: row.targetFacilityId,
      onRequesterSide: hasRole(user, 'requester') && user.facilityId === row.requestingFacilityId,
      isTargetCoordinator,
      isClinicalParticipant: isTargetCoordinator || row.takingPart,
    };
  }

  /**
   * A patient is visible to requesters of the facility that registered them, and to whoever can
   * see one of the patient's consultations. Throws 404 otherwise.
   */
  async patient(actor: Actor, patientId: string): Promise<{ registeredHere: boolean }> {
    const row = await this.repo.patient(actor.user, patientId);
    if (!row || !(row.registeredHere || row.viaConsultation)) {
      await this.refused(actor, {
        type: 'patient',
        id: patientId,
        patientId: row ? patientId : null,
      });
      throw notFound('Patient');
    }
    return { registeredHere: row.registeredHere };
  }

  /**
   * A session is seen by its participants (while their invitation grants access) and by the
   * coordinators of the organising facility; 404 for anyone else.
   */
  async session(actor: Actor, sessionId: string): Promise<SessionMembership> {
    const row = await this.repo.session(sessionId, actor.user.id);
    const membership = row && toMembership(actor.user, row);
    if (!membership || !(membership.participant || membership.organiser)) {
      await this.refused(actor, { type: 'session', id: sessionId });
      throw notFound('Session');
    }
    return membership;
  }

  /** A session the caller takes part in (enters, chats, presents): 404 for anyone else. */
  async participant(actor: Actor, sessionId: string): Promise<SessionMembership> {
    const row = await this.repo.session(sessionId, actor.user.id);
    const membership = row && toMembership(actor.user, row);
    if (!membership?.participant) {
      await this.refused(actor, { type: 'session', id: sessionId });
      throw notFound('Session');
    }
    return membership;
  }

  /** Whether a user co-writes the answer of a written consultation (assigned to it). */
  writtenCoAuthor(consultationId: string, userId: string): Promise<boolean> {
    return this.repo.writtenCoAuthor(consultationId, userId);
  }

  /** Whether a user is on a session's invitation list (for reports about them, not by them). */
  invited(sessionId: string, userId: string): Promise<boolean> {
    return this.repo.invited(sessionId, userId);
  }

  /** Of these users, those a session of a case between these facilities may invite. */
  invitable(userIds: string[], requestingFacilityId: string, targetFacilityId: string) {
    return this.repo.invitable(userIds, requestingFacilityId, targetFacilityId);
  }

  /**
   * For actions reserved to one side: a visible thing but the wrong role is 403, not 404. The
   * refusal is audited against the target when one is given.
   */
  async require(
    actor: Actor,
    condition: boolean,
    message: string,
    target?: AuditTarget,
  ): Promise<void> {
    if (condition) return;
    await this.refused(actor, target ?? { type: 'request' }, message);
    throw forbidden(message);
  }

  private async refused(actor: Actor, target: AuditTarget, reason?: string): Promise<void> {
    await this.audit.record(actor, 'access.refused', {
      ...target,
      details: { ...target.details, ...(reason ? { reason } : {}) },
    });
  }
}

function toMembership(user: AuthUser, row: SessionAccessRow): SessionMembership {
  const { invited, live, ...session } = row;
  return {
    ...session,
    participant: invited && live,
    organiser:
      hasRole(user, 'coordinator') &&
      !!user.facilityId &&
      user.facilityId === row.organiserFacilityId,
  };
}
