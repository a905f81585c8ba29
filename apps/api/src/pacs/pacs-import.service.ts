import {
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import {
  isFinalStatus,
  type ConsultationStatus,
  type List,
  type PacsImport,
  type StartPacsImport,
} from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { AttachmentsService } from '../attachments/attachments.service';
import { ApiException, conflict, invalidInput, notFound } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { TAG, int, str } from './dicom-json';
import type { DicomWebClient } from './dicomweb-client';
import { PacsConfigService } from './pacs-config.service';
import { PacsImportsRepository } from './pacs-imports.repository';

/** One instance to fetch, as the PACS listed it. */
interface Listed {
  seriesUid: string;
  sopUid: string;
  fileName: string;
}

const tooLarge = (message: string, path = 'studyUid') =>
  new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, message, [{ path, message }]);

/**
 * Attaches a study (or some of its series) from the requesting facility's PACS to a request,
 * instance by instance, through the attachment service: the same checks, quotas, encryption,
 * DICOM metadata and audit rows as a file uploaded by hand. The instances are listed (and the
 * limits checked) before the answer; the fetching runs in the background and the web polls the
 * import. An instance already imported into the request is not fetched again, so a retry after
 * a failure fetches only what is missing.
 */
@Injectable()
export class PacsImportService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PacsImportService.name);
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @Inject(PacsImportsRepository) private readonly repo: PacsImportsRepository,
    @Inject(PacsConfigService) private readonly configs: PacsConfigService,
    @Inject(AttachmentsService) private readonly attachments: AttachmentsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Imports in flight stop at the next instance; what was stored stays, the row says why. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  private get staleSeconds() {
    return Math.max(600, 3 * this.config.PACS_TIMEOUT_SECONDS);
  }

  async start(actor: Actor, consultationId: string, input: StartPacsImport): Promise<PacsImport> {
    const rel = await this.access.consultation(actor, consultationId);
    await this.access.require(
      actor,
      rel.onRequesterSide,
      'Only the requesting side attaches studies from its PACS',
      { type: 'consultation', id: consultationId, patientId: rel.patientId },
    );
    if (isFinalStatus(rel.status as ConsultationStatus))
      throw conflict(`Attachments cannot be added to a ${rel.status} request`);
    await this.repo.failStale(consultationId, this.staleSeconds);
    const running = await this.repo.findRunning(consultationId, input.studyUid);
    if (running) return running;

    const client = await this.configs.client(rel.requestingFacilityId);
    const listed = await this.instancesOf(client, input.studyUid, input.seriesUids);
    const max = this.config.PACS_IMPORT_MAX_INSTANCES;
    if (listed.length > max)
      throw tooLarge(
        `The selection holds ${listed.length} instances; one import may fetch at most ${max}. Pick fewer series`,
        input.seriesUids ? 'seriesUids' : 'studyUid',
      );
    const known = await this.repo.alreadyImported(
      consultationId,
      listed.map((i) => i.sopUid),
    );
    const todo = listed.filter((i) => !known.has(i.sopUid));
    const files = await this.repo.attachmentCount(consultationId);
    if (files + todo.length > this.config.MAX_ATTACHMENTS_PER_CONSULTATION)
      throw tooLarge(
        `This request holds ${files} files and the selection adds ${todo.length}; one request may hold ${this.config.MAX_ATTACHMENTS_PER_CONSULTATION}. Pick fewer series`,
        input.seriesUids ? 'seriesUids' : 'studyUid',
      );
    const id = await this.repo.insert({
      consultationId,
      facilityId: rel.requestingFacilityId,
      studyUid: input.studyUid,
      seriesUids: input.seriesUids ?? null,
      instancesTotal: listed.length,
      instancesSkipped: listed.length - todo.length,
      requestedBy: actor.user.id,
    });
    if (!id) return (await this.repo.findRunning(consultationId, input.studyUid))!; // lost a race
    await this.audit.record(actor, 'pacs.import', {
      type: 'consultation',
      id: consultationId,
      patientId: rel.patientId,
      details: {
        importId: id,
        studyUid: input.studyUid,
        series: input.seriesUids?.length ?? null,
        instances: listed.length,
        alreadyAttached: listed.length - todo.length,
      },
    });
    const work = this.fetchAll(
      actor,
      client,
      consultationId,
      rel.patientId,
      id,
      input.studyUid,
      todo,
    )
      .catch((err) => this.logger.error({ err }, 'PACS import bookkeeping failed'))
      .finally(() => this.running.delete(work));
    this.running.add(work);
    return (await this.repo.findById(id))!;
  }

  async list(actor: Actor, consultationId: string): Promise<List<PacsImport>> {
    const rel = await this.access.consultation(actor, consultationId);
    await this.repo.failStale(consultationId, this.staleSeconds);
    await this.audit.record(actor, 'pacs.import.list', {
      type: 'consultation',
      id: consultationId,
      patientId: rel.patientId,
    });
    return { items: await this.repo.listFor(consultationId) };
  }

  async get(actor: Actor, consultationId: string, importId: string): Promise<PacsImport> {
    await this.access.consultation(actor, consultationId);
    await this.repo.failStale(consultationId, this.staleSeconds);
    const found = await this.repo.findById(importId);
    if (!found || found.consultationId !== consultationId) throw notFound('PACS import');
    return found;
  }

  /** The instances of the study (or of the series named), series by series. */
  private async instancesOf(
    client: DicomWebClient,
    studyUid: string,
    seriesUids?: string[],
  ): Promise<Listed[]> {
    const series = (await client.search(`studies/${studyUid}/series`))
      .map((ds) => ({ uid: str(ds, TAG.seriesUid), modality: str(ds, TAG.modality) }))
      .filter((s): s is { uid: string; modality: string | null } => !!s.uid);
    if (!series.length)
      throw invalidInput({ path: 'studyUid', message: 'The PACS has no such study' });
    let chosen = series;
    if (seriesUids) {
      const missing = seriesUids.filter((u) => !series.some((s) => s.uid === u));
      if (missing.length)
        throw invalidInput({
          path: 'seriesUids',
          message: `Not a series of this study: ${missing.slice(0, 3).join(', ')}`,
        });
      chosen = series.filter((s) => seriesUids.includes(s.uid));
    }
    const out: Listed[] = [];
    for (const s of chosen) {
      const instances = await client.search(`studies/${studyUid}/series/${s.uid}/instances`, {
        includefield: [TAG.instanceNumber, TAG.seriesNumber],
      });
      for (const ds of instances) {
        const sopUid = str(ds, TAG.sopInstanceUid);
        if (!sopUid || !/^[0-9.]{1,64}$/.test(sopUid)) continue;
        const n = int(ds, TAG.instanceNumber);
        const sn = int(ds, TAG.seriesNumber);
        const fileName = `${s.modality ?? 'DICOM'}_S${sn ?? 'x'}_${n ?? sopUid}.dcm`.replace(
          /[^A-Za-z0-9_.-]/g,
          '_',
        );
        out.push({ seriesUid: s.uid, sopUid, fileName });
      }
    }
    return out;
  }

  private async fetchAll(
    actor: Actor,
    client: DicomWebClient,
    consultationId: string,
    patientId: string,
    importId: string,
    studyUid: string,
    todo: Listed[],
  ): Promise<void> {
    let bytes = 0;
    let error: { code: string; message: string } | null = null;
    const maxBytes = this.config.MAX_ATTACHMENT_BYTES;
    for (const item of todo) {
      if (this.stopping) {
        error = {
          code: 'interrupted',
          message: 'The server stopped during the import; start it again',
        };
        break;
      }
      try {
        const stream = await client.retrieveInstance(
          studyUid,
          item.seriesUid,
          item.sopUid,
          maxBytes,
          () => tooLarge(`An instance is larger than the limit of ${maxBytes} bytes`, 'file'),
        );
        const stored = await this.attachments
          .upload(actor, consultationId, {
            stream,
            fileName: item.fileName,
            declaredType: 'application/dicom',
          })
          .finally(() => stream.destroy());
        await this.repo.recordInstance(consultationId, item.sopUid, stored.id, importId);
        await this.repo.progress(importId, stored.sizeBytes);
        bytes += stored.sizeBytes;
        if (bytes > this.config.PACS_IMPORT_MAX_BYTES && item !== todo[todo.length - 1]) {
          error = {
            code: 'import_too_large',
            message: `The import reached its limit of ${this.config.PACS_IMPORT_MAX_BYTES} bytes; pick fewer series`,
          };
          break;
        }
      } catch (err) {
        error = describe(err);
        if (error.code === 'internal') this.logger.error({ err }, 'PACS import failed');
        break;
      }
    }
    await this.repo.finish(importId, error);
    await this.audit.record(actor, 'pacs.import.finish', {
      type: 'consultation',
      id: consultationId,
      patientId,
      details: { importId, ok: !error, ...(error ? { code: error.code } : {}), bytes },
    });
  }
}

/** What the web shows of a failed instance: the API's own refusal or the PACS fault. */
function describe(err: unknown): { code: string; message: string } {
  if (err instanceof ApiException) {
    const r = err.getResponse() as { message?: string; code?: string };
    return {
      code: r.code ?? `http_${err.getStatus()}`,
      message: r.message ?? err.message,
    };
  }
  return { code: 'internal', message: 'The import failed unexpectedly; try again' };
}
