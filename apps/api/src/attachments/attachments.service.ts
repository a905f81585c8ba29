import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { readFile } from 'node:fs/promises';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { ApiException, conflict, notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { AttachmentStorage } from './attachment-storage';
import { AttachmentKind, claimedKinds, MEDIA_TYPES, sniff } from './attachment-type';
import { AttachmentsRepository } from './attachments.repository';
import { DEFAULT_DICOM_LIMITS, DicomTooLargeError, readDicomSummary } from './dicom-metadata';
import { IncomingUpload, receiveMultipartFile } from './multipart-file';

const CLOSED = ['completed', 'cancelled', 'declined'];
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
  ) {}

  async upload(actor: Actor, consultationId: string, req: Request) {
    const rel = await this.access.consultation(actor.user, consultationId);
    if (CLOSED.includes(rel.status))
      throw conflict(`Attachments cannot be added to a ${rel.status} request`);
    const file = await receiveMultipartFile(req, this.storage, this.config.MAX_ATTACHMENT_BYTES);
    let kind: AttachmentKind;
    let metadata: Record<string, unknown>;
    try {
      kind = await this.decideKind(file);
      metadata = kind === 'dicom' ? await this.dicomMetadata(file) : {};
    } catch (err) {
      await this.storage.discard(file);
      throw err;
    }
    await this.storage.keep(file);
    const id = await this.repo.insert({
      consultationId,
      sha256: file.sha256,
      kind,
      mediaType: MEDIA_TYPES[kind],
      fileName: file.fileName.slice(0, 255),
      sizeBytes: file.size,
      metadata,
      uploadedBy: actor.user.id,
    });
    await this.audit.record(actor, 'attachment.upload', {
      type: 'attachment',
      id,
      patientId: rel.patientId,
      details: { consultationId, kind, sizeBytes: file.size },
    });
    return this.repo.findById(id);
  }

  async list(actor: Actor, consultationId: string) {
    const rel = await this.access.consultation(actor.user, consultationId);
    await this.audit.record(actor, 'attachment.list', {
      type: 'consultation',
      id: consultationId,
      patientId: rel.patientId,
    });
    return this.repo.listFor(consultationId);
  }

  /** Checks access and writes the audit row; the controller streams the bytes (with Range). */
  async openForDownload(actor: Actor, id: string, range: string | undefined) {
    const attachment = await this.repo.findById(id);
    if (!attachment) throw notFound('Attachment');
    // Out of scope reads as "no such attachment", like a wrong id.
    const rel = await this.access.consultation(actor.user, attachment.consultationId).catch(() => {
      throw notFound('Attachment');
    });
    await this.audit.record(actor, 'attachment.download', {
      type: 'attachment',
      id,
      patientId: rel.patientId,
      details: range ? { range: range.slice(0, 100) } : undefined,
    });
    return {
      attachment,
      root: this.storage.root,
      relativePath: this.storage.relativePathOf(attachment.sha256),
    };
  }

  private get dicomLimits() {
    return { ...DEFAULT_DICOM_LIMITS, maxInflatedBytes: this.config.MAX_DICOM_INFLATED_BYTES };
  }

  private async dicomMetadata(file: IncomingUpload): Promise<Record<string, unknown>> {
    const head = await this.storage.readStart(file.tmpPath, DICOM_HEADER_BYTES);
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

  private async decideKind(file: IncomingUpload): Promise<AttachmentKind> {
    const sniffed = sniff(file.head);
    let kind: AttachmentKind | null = sniffed === 'json?' ? null : sniffed;
    if (sniffed === 'json?') {
      try {
        JSON.parse((await readFile(file.tmpPath, 'utf8')).replace(/^\uFEFF/, ''));
        kind = 'lab_results';
      } catch {
        kind = null;
      }
    }
    const claimed = claimedKinds(file.fileName, file.declaredType);
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
