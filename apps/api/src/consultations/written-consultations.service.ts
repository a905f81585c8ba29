import { Inject, Injectable } from '@nestjs/common';
import type { AssignSpecialists, ConsultationDetail, ConsultationMode } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { CollabNotifier } from '../collaboration/collab-notifier';
import { conflict, invalidInput } from '../common/errors';
import { AssignmentsRepository } from './assignments.repository';
import { ConsultationsService } from './consultations.service';

/** Before a meeting is booked or the written answer has begun, the mode may still change. */
const MODE_SWITCHABLE = ['draft', 'submitted', 'accepted'];
const ASSIGNABLE = ['accepted', 'scheduled', 'in_progress'];

/**
 * Written (store-and-forward) consultations, and assignment of specialists to any case: the
 * target facility's coordinator names specialists of that facility; for a written request the
 * first assignment starts it (accepted → in_progress) and the assigned specialists answer in the
 * minutes, without a session. Assignment is also what lets a specialist see a case.
 */
@Injectable()
export class WrittenConsultationsService {
  constructor(
    @Inject(AssignmentsRepository) private readonly repo: AssignmentsRepository,
    @Inject(ConsultationsService) private readonly consultations: ConsultationsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CollabNotifier) private readonly notifier: CollabNotifier,
  ) {}

  async assign(actor: Actor, id: string, input: AssignSpecialists): Promise<ConsultationDetail> {
    const rel = await this.access.consultation(actor, id);
    await this.access.require(
      actor,
      rel.isTargetCoordinator,
      'Only a coordinator of the target facility assigns specialists',
    );
    if (!ASSIGNABLE.includes(rel.status))
      throw conflict(`Specialists are assigned to an accepted request; this one is ${rel.status}`, {
        status: rel.status,
        allowedStatuses: ASSIGNABLE,
      });
    const ids = [...new Set(input.specialistIds)];
    const ok = new Set(await this.repo.specialistsOf(rel.targetFacilityId, ids));
    const wrong = input.specialistIds
      .map((sid, i) => ({ sid, i }))
      .filter(({ sid }) => !ok.has(sid))
      .map(({ i }) => ({
        path: `specialistIds.${i}`,
        message: 'Not an active specialist of the target facility',
      }));
    if (wrong.length) throw invalidInput(wrong);
    const added = await this.repo.assign(id, ids, actor.user.id);
    if (rel.status === 'accepted' && (await this.repo.modeOf(id)) === 'written')
      await this.consultations.changeStatus(actor.user.id, id, 'accepted', 'in_progress', null);
    await this.audit.record(actor, 'consultation.assign', {
      type: 'consultation',
      id,
      patientId: rel.patientId,
      details: { specialistIds: ids, added: added.length },
    });
    const detail = await this.consultations.get(actor, id);
    const title = `${detail.specialty} — ${detail.patient.fullName}`;
    const at = new Date().toISOString();
    this.notifier.notify(added, { kind: 'consultation.updated', consultationId: id, title, at });
    this.notifier.notify([detail.requesterId], {
      kind: 'consultation.updated',
      consultationId: id,
      title,
      at,
    });
    return detail;
  }

  async switchMode(actor: Actor, id: string, mode: ConsultationMode): Promise<ConsultationDetail> {
    const rel = await this.access.consultation(actor, id);
    await this.access.require(
      actor,
      rel.isTargetCoordinator || rel.onRequesterSide,
      'Only the requesting site or the target coordinator changes how the consultation is given',
    );
    if (!MODE_SWITCHABLE.includes(rel.status))
      throw conflict(
        `The mode is chosen before the consultation starts; this one is ${rel.status}`,
        {
          status: rel.status,
          allowedStatuses: MODE_SWITCHABLE,
        },
      );
    await this.repo.setMode(id, mode);
    await this.audit.record(actor, 'consultation.mode', {
      type: 'consultation',
      id,
      patientId: rel.patientId,
      details: { mode },
    });
    return this.consultations.get(actor, id);
  }
}
