import { Inject, Injectable } from '@nestjs/common';
import {
  MINUTES_WRITABLE_STATUSES,
  type ConsultationStatus,
  type MinutesInput,
  type MinutesView,
  type SignMinutes,
} from '@caunoi/shared';
import { AccessPolicy, ConsultationRelation } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import { hasRole, type Actor } from '../auth/current-user';
import { conflict, notFound, invalidInput } from '../common/errors';
import { ConsultationsService } from '../consultations/consultations.service';
import { Icd10Service } from '../icd10/icd10.service';
import { UsersRepository } from '../users/users.repository';
import { MinutesDocumentAssembler } from './minutes-document';
import { renderMinutesPdf } from './minutes-pdf';
import { MinutesRecord, MinutesRepository } from './minutes.repository';

@Injectable()
export class MinutesService {
  constructor(
    @Inject(MinutesRepository) private readonly repo: MinutesRepository,
    @Inject(MinutesDocumentAssembler) private readonly documents: MinutesDocumentAssembler,
    @Inject(ConsultationsService) private readonly consultations: ConsultationsService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(Icd10Service) private readonly icd10: Icd10Service,
  ) {}

  /**
   * The working minutes: the open draft if there is one, else the latest signed version (404 when
   * none was written yet), with names resolved, every version listed and, for a draft, the people
   * present so far (frozen into `participants` at signing).
   */
  async get(actor: Actor, consultationId: string): Promise<MinutesView> {
    const rel = await this.access.consultation(actor, consultationId);
    const versions = await this.repo.versions(consultationId);
    const working =
      versions.find((v) => v.status === 'draft') ??
      versions.filter((v) => v.status === 'signed').at(-1);
    if (!working) throw notFound('Minutes');
    await this.audit.record(actor, 'minutes.read', {
      type: 'minutes',
      id: working.id,
      patientId: rel.patientId,
    });
    return this.present(working, versions);
  }

  private async present(record: MinutesRecord, versions?: MinutesRecord[]): Promise<MinutesView> {
    const all = versions ?? (await this.repo.versions(record.consultationId));
    const ids = [record.chairId, record.secretaryId, record.signedBy].filter(
      (x): x is string => !!x,
    );
    const people = await this.users.findManyByIds(ids);
    const person = (id: string | null) => {
      const u = id ? people.find((p) => p.id === id) : undefined;
      return u ? { id: u.id, fullName: u.fullName, licenseNumber: u.licenseNumber } : null;
    };
    return {
      ...record,
      participants:
        record.status === 'draft'
          ? await this.repo.presentParticipants(record.consultationId)
          : record.participants,
      chair: person(record.chairId),
      secretary: person(record.secretaryId),
      signedBy: person(record.signedBy),
      versions: all.map((v) => ({
        id: v.id,
        version: v.version,
        status: v.status,
        signedAt: v.signedAt,
        supersedesId: v.supersedesId,
      })),
    };
  }

  async saveDraft(actor: Actor, consultationId: string, input: MinutesInput): Promise<MinutesView> {
    const rel = await this.access.consultation(actor, consultationId);
    if (!MINUTES_WRITABLE_STATUSES.includes(rel.status as ConsultationStatus)) {
      throw conflict(
        `Minutes are written for a scheduled or running session; this request is ${rel.status}`,
        {
          status: rel.status,
          allowedStatuses: MINUTES_WRITABLE_STATUSES,
        },
      );
    }
    await this.requireEditor(actor, rel);
    const eligible = await this.repo.eligibleChairs(consultationId);
    if (!eligible.includes(input.chairId)) {
      throw invalidInput(
        { path: 'chairId', message: 'Not a participant' },
        'chairId must be a participant of the session or a clinician of the consulting facility',
      );
    }
    if (
      input.secretaryId &&
      !eligible.includes(input.secretaryId) &&
      !(await this.isRequesterSide(input.secretaryId, rel.requestingFacilityId))
    ) {
      throw invalidInput(
        { path: 'secretaryId', message: 'Not a participant' },
        'secretaryId must be a participant of the consultation',
      );
    }
    const session = await this.repo.sessionOf(consultationId);
    const diagnoses = input.diagnoses ? await this.icd10.resolve(input.diagnoses) : null;
    const draft = await this.repo.saveDraft(
      consultationId,
      input,
      session?.id ?? null,
      actor.user.id,
      diagnoses,
    );
    await this.audit.record(actor, 'minutes.write', {
      type: 'minutes',
      id: draft.id,
      patientId: rel.patientId,
      details: { version: draft.version },
    });
    return this.present(draft);
  }

  /**
   * The chair signs: the draft becomes immutable (a database trigger refuses any later change),
   * the participants present are frozen from attendance, and the request becomes `completed`.
   * From `scheduled` (nobody's join was recorded, e.g. the SFU was unreachable) it passes through
   * `in_progress` so the recorded history stays a legal path. A correction keeps `completed`.
   */
  async sign(actor: Actor, consultationId: string, read: SignMinutes): Promise<MinutesView> {
    const rel = await this.access.consultation(actor, consultationId);
    const signed = await this.repo.withConsultationLocked(consultationId, async (m, status) => {
      const draft = await this.repo.draftOf(consultationId, m);
      if (!draft)
        throw conflict('There is no draft to sign; write the minutes first (PUT …/minutes)');
      if (draft.chairId !== actor.user.id) {
        const chair = await this.users.findById(draft.chairId);
        await this.access.require(
          actor,
          false,
          `Only the chair (${chair?.fullName ?? draft.chairId}) may sign these minutes`,
          { type: 'minutes', id: draft.id, patientId: rel.patientId },
        );
      }
      if (draft.version !== read.version || (read.revision && draft.revision !== read.revision)) {
        throw conflict(
          `The minutes changed since you read them (now version ${draft.version}, revision ${draft.revision}); read them again before signing`,
          { version: draft.version, revision: draft.revision },
          'minutes_version_changed',
        );
      }
      const present = await this.repo.presentParticipants(consultationId, m);
      const result = await this.repo.markSigned(draft.id, actor.user.id, present, m);
      if (!result) throw conflict('The draft was signed meanwhile');
      if (status === 'scheduled') {
        await this.consultations.changeStatus(
          actor.user.id,
          consultationId,
          'scheduled',
          'in_progress',
          null,
          m,
        );
      }
      if (status === 'scheduled' || status === 'in_progress') {
        await this.consultations.changeStatus(
          actor.user.id,
          consultationId,
          'in_progress',
          'completed',
          null,
          m,
        );
      } else if (status !== 'completed') {
        throw conflict(`Minutes cannot be signed while the request is ${status}`);
      }
      return result;
    });
    await this.audit.record(actor, 'minutes.sign', {
      type: 'minutes',
      id: signed.id,
      patientId: rel.patientId,
      details: { version: signed.version, participants: signed.participants.length },
    });
    return this.present(signed);
  }

  async pdf(
    actor: Actor,
    consultationId: string,
    version?: number,
  ): Promise<{ bytes: Buffer; fileName: string }> {
    const rel = await this.access.consultation(actor, consultationId);
    const doc = await this.documents.signed(consultationId, version);
    const bytes = await renderMinutesPdf(doc);
    await this.audit.record(actor, 'minutes.export_pdf', {
      type: 'minutes',
      id: doc.minutes.id,
      patientId: rel.patientId,
      details: { version: doc.minutes.version },
    });
    return {
      bytes,
      fileName: `bien-ban-hoi-chan-${consultationId.slice(0, 8)}-v${doc.minutes.version}.pdf`,
    };
  }

  /**
   * Who edits the minutes: once a draft exists, its chair and secretary (a correction after
   * signing: those of the last signed version); before that, a clinician taking part in the case
   * (a coordinator of the target facility, or a specialist assigned or invited) opens the draft
   * and names them. Anyone else who can see the case gets 403.
   */
  private async requireEditor(actor: Actor, rel: ConsultationRelation): Promise<void> {
    const versions = await this.repo.versions(rel.consultationId);
    const current = versions.find((v) => v.status === 'draft') ?? versions.at(-1);
    const target = { type: 'minutes', id: current?.id ?? null, patientId: rel.patientId };
    // A written consultation's answer is written together by its assigned specialists.
    const coAuthor = await this.access.writtenCoAuthor(rel.consultationId, actor.user.id);
    if (current) {
      await this.access.require(
        actor,
        coAuthor || actor.user.id === current.chairId || actor.user.id === current.secretaryId,
        'Only the chair or the secretary of these minutes edit them',
        target,
      );
      return;
    }
    await this.access.require(
      actor,
      rel.isClinicalParticipant && hasRole(actor.user, 'specialist', 'coordinator'),
      'Only specialists and coordinators taking part in the consultation write the minutes',
      target,
    );
  }

  private async isRequesterSide(userId: string, requestingFacilityId: string): Promise<boolean> {
    const u = await this.users.findById(userId);
    return !!u && u.facilityId === requestingFacilityId;
  }
}
