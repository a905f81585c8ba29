import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ACTION_TARGET_STATUS,
  allowedTransitions,
  CONSULTATION_ACTIONS,
  ConsultationAction,
  ConsultationDetail,
  ConsultationListQuery,
  ConsultationStatus,
  ConsultationView,
  CreateConsultation,
  List,
} from '@caunoi/shared';
import { AccessPolicy, ConsultationRelation } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { conflict, notFound, invalidInput } from '../common/errors';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { PatientsRepository } from '../patients/patients.repository';
import { assertTransition } from './consultation-lifecycle';
import { AssignmentsRepository } from './assignments.repository';
import { ConsultationsRepository } from './consultations.repository';

/** Another domain's reaction to a request just submitted (e.g. ringing the on-call roster). */
export type SubmittedListener = (consultation: ConsultationView) => Promise<void>;

@Injectable()
export class ConsultationsService {
  private readonly log = new Logger('Consultations');
  private readonly submittedListeners: SubmittedListener[] = [];

  constructor(
    @Inject(ConsultationsRepository) private readonly repo: ConsultationsRepository,
    @Inject(PatientsRepository) private readonly patients: PatientsRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
  ) {}

  /**
   * Register in your module's onModuleInit. A listener runs after the submission is stored; its
   * failure is logged and does not undo the submission (the emergency job catches up).
   */
  whenSubmitted(listener: SubmittedListener): void {
    this.submittedListeners.push(listener);
  }

  /** A requester asks a facility that supports theirs, about a patient their facility registered. */
  async create(actor: Actor, input: CreateConsultation): Promise<ConsultationView> {
    const { registeredHere } = await this.access.patient(actor, input.patientId);
    if (!registeredHere)
      throw invalidInput({
        path: 'patientId',
        message: 'The patient was registered by another facility',
      });
    const target = await this.facilities.findById(input.targetFacilityId);
    if (!target)
      throw invalidInput({ path: 'targetFacilityId', message: 'Does not name a facility' });
    if (!(await this.facilities.supports(target.id, actor.user.facilityId!))) {
      const links = await this.facilities.linksOf(actor.user.facilityId!);
      const supporters = links
        .filter((l) => l.supported.id === actor.user.facilityId)
        .map((l) => l.supporter);
      throw invalidInput({
        path: 'targetFacilityId',
        message: `${target.name} does not support your facility; send the request to one that does (${
          supporters.map((s) => s.name).join(', ') || 'none configured'
        })`,
        supporters,
      });
    }
    const id = await this.repo.create(input, actor.user);
    await this.audit.record(actor, 'consultation.create', {
      type: 'consultation',
      id,
      patientId: input.patientId,
    });
    return this.view(id);
  }

  async list(actor: Actor, q: ConsultationListQuery): Promise<List<ConsultationView>> {
    const page = await this.repo.list(actor.user, q);
    await this.audit.recordMany(
      actor,
      'consultation.list',
      page.items.map((c) => ({ type: 'consultation', id: c.id, patientId: c.patient.id })),
    );
    return page;
  }

  async get(actor: Actor, id: string): Promise<ConsultationDetail> {
    const rel = await this.access.consultation(actor, id);
    // The page is read while the audit row is committed; nothing is answered before it is.
    const [, view, history, assigned] = await Promise.all([
      this.audit.record(actor, 'consultation.read', {
        type: 'consultation',
        id,
        patientId: rel.patientId,
      }),
      this.view(id),
      this.repo.history(id),
      this.assignments.assigned(id),
    ]);
    return {
      ...view,
      history,
      allowedActions: this.allowedActions(rel),
      assigned,
      mayAssign:
        rel.isTargetCoordinator && ['accepted', 'scheduled', 'in_progress'].includes(rel.status),
    };
  }

  /**
   * submit | accept | decline | cancel, checked in this order: visible (404) → legal in the
   * lifecycle (409, naming the allowed moves) → permitted for this user (403).
   */
  async act(
    actor: Actor,
    id: string,
    action: ConsultationAction,
    reason?: string,
  ): Promise<ConsultationDetail> {
    const rel = await this.access.consultation(actor, id);
    const from = rel.status as ConsultationStatus;
    const to = ACTION_TARGET_STATUS[action];
    // The lifecycle table also has scheduled → accepted (a cancelled session frees the request);
    // that move belongs to sessions, so the accept action itself applies to submitted requests only.
    if (action === 'accept' && from !== 'submitted') {
      throw conflict(`Only a submitted request can be accepted; this one is ${from}`, {
        from,
        to,
        allowed: allowedTransitions(from),
      });
    }
    assertTransition(from, to, reason);
    await this.access.require(actor, this.mayPerform(rel, action), this.permissionMessage(action));
    if (
      action === 'submit' &&
      !(await this.patients.currentConsent(rel.patientId, 'teleconsultation'))
    ) {
      throw invalidInput(
        { path: 'patientId', message: 'No recorded consent to teleconsultation' },
        'The patient has no recorded consent to teleconsultation; record it before submitting',
      );
    }
    await this.changeStatus(actor.user.id, id, from, to, reason ?? null);
    await this.audit.record(actor, `consultation.${action}`, {
      type: 'consultation',
      id,
      patientId: rel.patientId,
    });
    if (action === 'submit') await this.announceSubmitted(id);
    return this.get(actor, id);
  }

  private async announceSubmitted(id: string): Promise<void> {
    const view = await this.view(id);
    for (const listener of this.submittedListeners)
      await listener(view).catch((err: Error) =>
        this.log.warn(`after submitting ${id}: ${err.message}`),
      );
  }

  /**
   * For other domains (sessions: accepted → scheduled → in_progress; minutes: → completed).
   * Checks the lifecycle, records who and when; 409 if the state moved meanwhile.
   */
  async changeStatus(
    actorId: string | null,
    id: string,
    from: ConsultationStatus,
    to: ConsultationStatus,
    reason: string | null,
    manager?: EntityManager,
  ): Promise<void> {
    assertTransition(from, to, reason);
    if (!(await this.repo.transition(id, from, to, actorId, reason, manager))) {
      throw conflict(`The consultation is no longer ${from}; reload it and try again`);
    }
  }

  private async view(id: string): Promise<ConsultationView> {
    const v = await this.repo.findById(id);
    if (!v) throw notFound('Consultation');
    return v;
  }

  private mayPerform(rel: ConsultationRelation, action: ConsultationAction): boolean {
    if (action === 'submit') return rel.onRequesterSide;
    if (action === 'cancel') return rel.onRequesterSide || rel.isTargetCoordinator;
    return rel.isTargetCoordinator;
  }

  private permissionMessage(action: ConsultationAction): string {
    if (action === 'submit')
      return 'Only a requester of the requesting facility may submit this request';
    if (action === 'cancel')
      return 'Only the requesting site or the target coordinator may cancel this request';
    return `Only a coordinator of the target facility may ${action} this request`;
  }

  private allowedActions(rel: ConsultationRelation): ConsultationAction[] {
    const next = allowedTransitions(rel.status as ConsultationStatus);
    return CONSULTATION_ACTIONS.filter(
      (a) =>
        next.includes(ACTION_TARGET_STATUS[a]) &&
        (a !== 'accept' || rel.status === 'submitted') &&
        this.mayPerform(rel, a),
    );
  }
}
