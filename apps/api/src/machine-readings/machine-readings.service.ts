import { Inject, Injectable } from '@nestjs/common';
import {
  COLLAB_SERVER_EVENTS,
  type List,
  type MachineFindingDecision,
  type MachineReading,
  type MachineReviewedEvent,
} from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AttachmentsRepository } from '../attachments/attachments.repository';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { CollabNotifier } from '../collaboration/collab-notifier';
import { notFound } from '../common/errors';
import { MachineReadingsRepository } from './machine-readings.repository';

/**
 * Reading and reviewing machine findings: patient data, so only those who may see the case, 404
 * for everyone else (as for the image itself), and every read and review audited.
 */
@Injectable()
export class MachineReadingsService {
  constructor(
    @Inject(MachineReadingsRepository) private readonly repo: MachineReadingsRepository,
    @Inject(AttachmentsRepository) private readonly attachments: AttachmentsRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(CollabNotifier) private readonly notifier: CollabNotifier,
  ) {}

  private async caseOf(actor: Actor, attachmentId: string, consultationId?: string) {
    const cid = consultationId ?? (await this.attachments.findById(attachmentId))?.consultationId;
    if (!cid) throw notFound('Attachment');
    // Out of scope reads as "no such attachment" (the refusal is audited by the policy).
    return this.access.consultation(actor, cid).catch(() => {
      throw notFound('Attachment');
    });
  }

  async list(actor: Actor, attachmentId: string): Promise<List<MachineReading>> {
    const rel = await this.caseOf(actor, attachmentId);
    const items = await this.repo.listFor(attachmentId);
    await this.audit.record(actor, 'attachment.machine_readings.read', {
      type: 'attachment',
      id: attachmentId,
      patientId: rel.patientId,
      details: { readings: items.length },
    });
    return { items };
  }

  /** A clinician confirms or rejects one suggested finding; answers the image's readings. */
  async review(
    actor: Actor,
    findingId: string,
    decision: MachineFindingDecision,
  ): Promise<List<MachineReading>> {
    const owner = await this.repo.findingOwner(findingId);
    if (!owner) throw notFound('Finding');
    const rel = await this.caseOf(actor, owner.attachmentId, owner.consultationId).catch(() => {
      throw notFound('Finding');
    });
    await this.repo.review(findingId, decision, actor.user.id);
    await this.audit.record(actor, 'machine_finding.review', {
      type: 'machine_finding',
      id: findingId,
      patientId: rel.patientId,
      details: { attachmentId: owner.attachmentId, decision },
    });
    // Everyone looking at the image in a session sees the decision at once (best effort: the
    // viewers also fetch again while the overlay is on).
    const event: MachineReviewedEvent = { attachmentId: owner.attachmentId, findingId };
    this.notifier.toSessions(
      await this.repo.sessionsCovering(owner.consultationId),
      COLLAB_SERVER_EVENTS.machineReviewed,
      event,
    );
    return { items: await this.repo.listFor(owner.attachmentId) };
  }
}
