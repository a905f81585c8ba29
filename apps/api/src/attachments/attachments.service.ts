import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import {
  ATTACHMENT_MEDIA_TYPES,
  isFinalStatus,
  type Attachment,
  type ConsultationStatus,
  type List,
  type Series,
} from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { ApiException, conflict, notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { AttachmentQuota } from './attachment-quota';
import { AttachmentStorage, ReceivedFile } from './attachment-storage';
import { AttachmentKind, claimedKinds, sniff } from './attachment-type';
import { AttachmentsRepository } from './attachments.repository';
import {
  DEFAULT_DICOM_LIMITS,
  DicomTooLargeError,
  readDicomSummary,
  type DicomSummary,
} from './dicom-metadata';
import { groupSeries, withSliceIndex } from './series-grouping';
import type { IncomingFile } from './multipart-file';

const DICOM_HEADER_BYTES = 4 * 1024 * 1024;

const unsupported = (message: string) =>
  new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, message);

@Injectable()
export class AttachmentsService {
  constructor(
    @Inject(AttachmentsRepository) private readonly repo: AttachmentsRepository,
    @Inject(AttachmentStorage) private readonly storage: AttachmentStorage,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AttachmentQuota) private readonly quota: AttachmentQuota,
  ) {}

  /** Stores `upload` (its stream fails if the body was incomplete; nothing is kept then). */
  async upload(actor: Actor, consultationId: string, upload: IncomingFile): Promise<Attachment> {
    const rel = await this.access.consultation(actor, consultationId);
    if (isFinalStatus(rel.status as ConsultationStatus))
      throw conflict(`Attachments cannot be added to a ${rel.status} request`);
    // A request or site already at its quota is refused before the body is read.
    await this.quota.check(consultationId, rel.requestingFacilityId, 0);
    const file = await this.storage.receive(upload.stream);
    let kind: AttachmentKind;
    let summary: DicomSummary;
    try {
      await this.quota.check(consultationId, rel.requestingFacilityId, file.size);
      kind = await this.decideKind(file, upload);
      summary = kind === 'dicom' ? await this.dicomMetadata(file) : {};
    } catch (err) {
      await this.storage.discard(file);
      throw err;
    }
    await this.storage.keep(file);
    // The series tags go to their own columns; metadata stays the display summary.
    const { series, frames, ...metadata } = summary;
    const id = await this.repo.insert(
      {
        consultationId,
        sha256: file.sha256,
        kind,
        mediaType: ATTACHMENT_MEDIA_TYPES[kind],
        fileName: upload.fileName.slice(0, 255),
        sizeBytes: file.size,
        metadata: { ...metadata },
        uploadedBy: actor.user.id,
      },
      series,
      frames,
    );
    await this.audit.record(actor, 'attachment.upload', {
      type: 'attachment',
      id,
      patientId: rel.patientId,
      details: { consultationId, kind, sizeBytes: file.size },
    });
    return (await this.repo.findById(id))!;
  }

  async list(actor: Actor, consultationId: string): Promise<List<Attachment>> {
    const rel = await this.access.consultation(actor, consultationId);
    await this.audit.record(actor, 'attachment.list', {
      type: 'consultation',
      id: consultationId,
      patientId: rel.patientId,
    });
    return { items: withSliceIndex(await this.repo.listStored(consultationId)) };
  }

  /** The consultation's CT/MR series, each with its instances in viewing order. */
  async series(actor: Actor, consultationId: string): Promise<List<Series>> {
    const rel = await this.access.consultation(actor, consultationId);
    await this.audit.record(actor, 'attachment.series', {
      type: 'consultation',
      id: consultationId,
      patientId: rel.patientId,
    });
    return { items: groupSeries(await this.repo.listStored(consultationId)) };
  }

  /** Checks access and writes the audit row; the controller streams the bytes (with Range). */
  async openForDownload(actor: Actor, id: string, range: string | undefined) {
    const attachment = await this.repo.findById(id);
    if (!attachment) throw notFound('Attachment');
    // Out of scope reads as "no such attachment", like a wrong id.
    const rel = await this.access.consultation(actor, attachment.consultationId).catch(() => {
      throw notFound('Attachment');
    });
    await this.audit.record(actor, 'attachment.download', {
      type: 'attachment',
      id,
      patientId: rel.patientId,
      details: range ? { range: range.slice(0, 100) } : undefined,
    });
    return { attachment, file: await this.storage.open(attachment.sha256) };
  }

  private get dicomLimits() {
    return { ...DEFAULT_DICOM_LIMITS, maxInflatedBytes: this.config.MAX_DICOM_INFLATED_BYTES };
  }

  private async dicomMetadata(file: ReceivedFile): Promise<DicomSummary> {
    const head = await this.storage.readStart(file, DICOM_HEADER_BYTES);
    try {
      return { ...(await readDicomSummary(head, this.dicomLimits)) };
    } catch (err) {
      if (err instanceof DicomTooLargeError)
        throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, err.message, [
          { path: 'file', message: err.message },
        ]);
      throw err;
    }
  }

  private async decideKind(file: ReceivedFile, upload: IncomingFile): Promise<AttachmentKind> {
    const sniffed = sniff(file.head);
    let kind: AttachmentKind | null = sniffed === 'json?' ? null : sniffed;
    if (sniffed === 'json?') {
      // Lab results are small structured data; a large "JSON" is refused before it is parsed.
      if (file.size > this.config.MAX_LAB_RESULTS_BYTES) {
        const message = `Lab results may be at most ${Math.round(this.config.MAX_LAB_RESULTS_BYTES / 1024)} KiB of JSON`;
        throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, message, [{ path: 'file', message }]);
      }
      try {
        const text = (await this.storage.readStart(file, file.size)).toString('utf8');
        JSON.parse(text.replace(/^\uFEFF/, ''));
        kind = 'lab_results';
      } catch {
        kind = null;
      }
    }
    const claimed = claimedKinds(upload.fileName, upload.declaredType);
    if (!kind) {
      throw unsupported(
        'The file content is not an accepted type (PDF, PNG, JPEG, DICOM or JSON lab results)',
      );
    }
    if (claimed.badExt) throw unsupported(`Files ending in .${claimed.badExt} are not accepted`);
    for (const [how, said] of [
      ['file name', claimed.ext],
      ['declared type', claimed.type],
    ] as const) {
      if (said && said !== kind)
        throw unsupported(`The ${how} says ${said} but the content is ${kind}`);
    }
    return kind;
  }
}
