import { Inject, Injectable } from '@nestjs/common';
import {
  isFinalStatus,
  type ConsultationStatus,
  type DicomInboxSettings,
  type DicomInboxStudy,
  type InboxAttachResult,
  type List,
  type PutDicomInbox,
} from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AttachmentStorage } from '../attachments/attachment-storage';
import { AttachmentsService } from '../attachments/attachments.service';
import { AuditService } from '../audit/audit.service';
import { hasRole, type Actor } from '../auth/current-user';
import { conflict, invalidInput, notFound } from '../common/errors';
import { FacilitiesRepository } from '../facilities/facilities.repository';
import { DicomInboxRepository, InboxSettingsRow } from './dicom-inbox.repository';
import { DicomReceiver } from './dicom-receiver';
import { PacsImportsRepository } from './pacs-imports.repository';

/**
 * The facility's DICOM inbox: its AE title (admins), what arrived (the facility's requesters),
 * and attaching a received study to a request through the attachment service, skipping what
 * the request already holds (from the inbox or a PACS import: one SOP instance, one file).
 */
@Injectable()
export class DicomInboxService {
  constructor(
    @Inject(DicomInboxRepository) private readonly repo: DicomInboxRepository,
    @Inject(PacsImportsRepository) private readonly imports: PacsImportsRepository,
    @Inject(FacilitiesRepository) private readonly facilities: FacilitiesRepository,
    @Inject(AttachmentStorage) private readonly storage: AttachmentStorage,
    @Inject(AttachmentsService) private readonly attachments: AttachmentsService,
    @Inject(DicomReceiver) private readonly receiver: DicomReceiver,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  private view(r: InboxSettingsRow): DicomInboxSettings {
    return {
      facilityId: r.facilityId,
      aeTitle: r.aeTitle,
      callingAeTitles: r.callingAeTitles,
      port: this.receiver.port,
      updatedAt: r.updatedAt.toISOString(),
    };
  }

  async settings(actor: Actor, facilityId: string): Promise<DicomInboxSettings> {
    if (!(await this.facilities.findById(facilityId))) throw notFound('Facility');
    await this.access.require(
      actor,
      hasRole(actor.user, 'admin') || actor.user.facilityId === facilityId,
      "Only an administrator or the facility's own staff may see its DICOM inbox settings",
      { type: 'facility', id: facilityId },
    );
    const row = await this.repo.settings(facilityId);
    if (!row) throw notFound('DICOM inbox');
    return this.view(row);
  }

  async put(actor: Actor, facilityId: string, input: PutDicomInbox): Promise<DicomInboxSettings> {
    if (!(await this.facilities.findById(facilityId))) throw notFound('Facility');
    const other = await this.repo.byAeTitle(input.aeTitle);
    if (other && other.facilityId !== facilityId)
      throw invalidInput({
        path: 'aeTitle',
        message: 'Another facility already uses this AE title',
      });
    const row = await this.repo.put(
      facilityId,
      input.aeTitle,
      input.callingAeTitles ?? [],
      actor.user.id,
    );
    await this.audit.record(actor, 'dicom_inbox.configure', { type: 'facility', id: facilityId });
    return this.view(row!);
  }

  async remove(actor: Actor, facilityId: string): Promise<void> {
    if (!(await this.repo.remove(facilityId))) throw notFound('DICOM inbox');
    await this.audit.record(actor, 'dicom_inbox.remove', { type: 'facility', id: facilityId });
  }

  async studies(
    actor: Actor,
    facilityId: string,
    patientId: string | null,
  ): Promise<List<DicomInboxStudy>> {
    await this.access.require(
      actor,
      hasRole(actor.user, 'requester') && actor.user.facilityId === facilityId,
      "Only the facility's requesters may open its DICOM inbox",
      { type: 'facility', id: facilityId },
    );
    const items = await this.repo.studies(facilityId, patientId, 100);
    await this.audit.record(actor, 'dicom_inbox.list', {
      type: 'facility',
      id: facilityId,
      details: { ...(patientId ? { patientId } : {}), results: items.length },
    });
    return { items };
  }

  async attach(actor: Actor, consultationId: string, studyUid: string): Promise<InboxAttachResult> {
    const rel = await this.access.consultation(actor, consultationId);
    await this.access.require(
      actor,
      rel.onRequesterSide,
      'Only the requesting side attaches studies from its DICOM inbox',
      { type: 'consultation', id: consultationId, patientId: rel.patientId },
    );
    if (isFinalStatus(rel.status as ConsultationStatus))
      throw conflict(`Attachments cannot be added to a ${rel.status} request`);
    const instances = await this.repo.instancesOf(rel.requestingFacilityId, studyUid);
    if (!instances.length)
      throw invalidInput({ path: 'studyUid', message: 'No such study in the DICOM inbox' });
    const known = await this.imports.alreadyImported(
      consultationId,
      instances.map((i) => i.sopInstanceUid),
    );
    let stored = 0;
    for (const i of instances.filter((x) => !known.has(x.sopInstanceUid))) {
      const file = await this.storage.open(i.sha256);
      const stream = file.read(0, Math.max(0, file.size - 1));
      const attachment = await this.attachments
        .upload(actor, consultationId, {
          stream,
          // The last two UID components tell instances apart without the long root.
          fileName: `${i.modality ?? 'DICOM'}_${i.sopInstanceUid.split('.').slice(-2).join('_')}.dcm`,
          declaredType: 'application/dicom',
        })
        .finally(() => stream.destroy());
      await this.imports.recordInstance(consultationId, i.sopInstanceUid, attachment.id, null);
      stored++;
    }
    await this.audit.record(actor, 'dicom_inbox.attach', {
      type: 'consultation',
      id: consultationId,
      patientId: rel.patientId,
      details: { studyUid, stored, skipped: instances.length - stored },
    });
    return { studyUid, stored, skipped: instances.length - stored };
  }
}
