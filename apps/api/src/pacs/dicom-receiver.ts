import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Dataset, Scp, Server, constants, responses } from 'dcmjs-dimse';
import type { association, requests } from 'dcmjs-dimse';
import { PassThrough, Writable } from 'node:stream';
import { AttachmentStorage, ReceivedFile } from '../attachments/attachment-storage';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { DicomInboxRepository } from './dicom-inbox.repository';
import { inboxFacts, part10Header } from './dicom-part10';

type Association = association.Association;
type PresentationContext = association.PresentationContext;
type CStoreRequest = requests.CStoreRequest;
type CEchoRequest = requests.CEchoRequest;
type CStoreResponse = responses.CStoreResponse;
type CEchoResponse = responses.CEchoResponse;

const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason } = constants;
const STORAGE_CLASSES = new Set<string>(Object.values(constants.StorageClass));
/** Deflated data sets would be inflated to be read: not accepted from the network. */
const DEFLATED = '1.2.840.10008.1.2.1.99';
const FACTS_HEAD_BYTES = 1024 * 1024;

/** One C-STORE data set on its way into the attachment store, with a byte limit. */
class InstanceSink extends Writable {
  bytes = 0;
  tooLarge = false;
  readonly body = new PassThrough();
  readonly received: Promise<ReceivedFile | null>;

  constructor(
    storage: AttachmentStorage,
    header: Buffer,
    private readonly max: number,
  ) {
    super();
    this.received = storage.receive(this.body).catch(() => null);
    this.body.write(header);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max && !this.tooLarge) {
      this.tooLarge = true;
      this.body.destroy(new Error('instance over the size limit')); // the receipt is removed
    }
    if (this.tooLarge || this.body.write(chunk)) return done();
    this.body.once('drain', () => done());
  }

  override _final(done: (e?: Error | null) => void): void {
    if (!this.tooLarge) this.body.end();
    done();
  }
}

/**
 * The DICOM receiver (C-STORE SCP) behind the facilities' inboxes: one port for the whole API
 * (DICOM_SCP_PORT; off when unset), the called AE title picks the facility, an allow-list of
 * calling AE titles may narrow who sends. Each data set streams into the attachment store (kept
 * as sent: Part 10 header + the data set in the negotiated transfer syntax) and is listed in the
 * facility's inbox; nothing is attached to a request until a requester does so.
 */
@Injectable()
export class DicomReceiver implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DicomReceiver.name);
  private server: Server | null = null;

  constructor(
    @Inject(DicomInboxRepository) private readonly repo: DicomInboxRepository,
    @Inject(AttachmentStorage) private readonly storage: AttachmentStorage,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get port(): number | null {
    return this.config.DICOM_SCP_PORT ?? null;
  }

  onModuleInit(): void {
    const port = this.port;
    if (!port) return;
    this.server = new Server(scpFor(this));
    this.server.on('networkError', (e) => this.logger.warn({ err: e }, 'DICOM network error'));
    this.server.listen(port, { associationTimeout: 30_000, pduTimeout: 60_000 });
    this.logger.log(`DICOM receiver (C-STORE) on port ${port}`);
  }

  onApplicationShutdown(): void {
    this.server?.close();
  }

  /** Who may send to this called AE title: the facility, or null (the association is refused). */
  async facilityFor(calledAe: string, callingAe: string): Promise<string | null> {
    const s = await this.repo.byAeTitle(calledAe.trim().toUpperCase());
    if (!s) return null;
    if (s.callingAeTitles.length && !s.callingAeTitles.includes(callingAe.trim().toUpperCase()))
      return null;
    return s.facilityId;
  }

  sink(ctx: PresentationContext, req: CStoreRequest, callingAe: string): InstanceSink {
    const header = part10Header({
      sopClassUid: req.getAffectedSopClassUid(),
      sopInstanceUid: req.getAffectedSopInstanceUid(),
      transferSyntaxUid: ctx.getAcceptedTransferSyntaxUid() ?? '1.2.840.10008.1.2',
      sourceAeTitle: callingAe,
    });
    return new InstanceSink(this.storage, header, this.config.MAX_ATTACHMENT_BYTES);
  }

  /** Files a finished data set into the facility's inbox; the answer is the C-STORE status. */
  async store(facilityId: string, sopUid: string, sink: InstanceSink, callingAe: string) {
    const file = await sink.received;
    if (sink.tooLarge || !file)
      return sink.tooLarge ? Status.ResourceLimitation : Status.ProcessingFailure;
    try {
      const facts = inboxFacts(await this.storage.readStart(file, FACTS_HEAD_BYTES));
      if (!facts.studyUid) {
        await this.storage.discard(file);
        return Status.MissingAttributeValue;
      }
      await this.storage.keep(file);
      await this.repo.receive({
        facilityId,
        sopInstanceUid: sopUid,
        sha256: file.sha256,
        sizeBytes: file.size,
        callingAe,
        facts: { ...facts, studyUid: facts.studyUid },
      });
      await this.audit.record(
        { user: null, address: `dicom:${callingAe}` },
        'dicom_inbox.receive',
        {
          type: 'facility',
          id: facilityId,
          details: { sopInstanceUid: sopUid, sizeBytes: file.size },
        },
      );
      return Status.Success;
    } catch (err) {
      await this.storage.discard(file).catch(() => {});
      this.logger.warn({ err }, 'a received DICOM instance could not be filed');
      return Status.ProcessingFailure;
    }
  }
}

/** The SCP class the library instantiates per association, bound to the receiver. */
function scpFor(receiver: DicomReceiver): typeof Scp {
  return class InboxScp extends Scp {
    private association?: Association;
    private facilityId: string | null = null;
    private readonly sinks = new Map<string, InstanceSink>();

    override associationRequested(association: Association): void {
      this.association = association;
      const calling = association.getCallingAeTitle();
      void receiver
        .facilityFor(association.getCalledAeTitle(), calling)
        .catch(() => null)
        .then((facilityId) => {
          if (!facilityId) {
            this.sendAssociationReject(
              RejectResult.Permanent,
              RejectSource.ServiceUser,
              RejectReason.CalledAeNotRecognized,
            );
            return;
          }
          this.facilityId = facilityId;
          for (const c of association.getPresentationContexts()) {
            const ctx = association.getPresentationContext(c.id);
            const abstract = ctx.getAbstractSyntaxUid();
            if (abstract !== constants.SopClass.Verification && !STORAGE_CLASSES.has(abstract)) {
              ctx.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
              continue;
            }
            // The sender's first choice: compressed studies stay compressed, nothing is recoded.
            const syntax = ctx.getTransferSyntaxUids().find((ts: string) => ts !== DEFLATED);
            if (syntax) ctx.setResult(PresentationContextResult.Accept, syntax);
            else ctx.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
          }
          this.sendAssociationAccept();
        });
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(request: CEchoRequest, callback: (r: CEchoResponse) => void): void {
      const response = responses.CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override createStoreWritableStream(ctx: PresentationContext, req: CStoreRequest): Writable {
      const sink = receiver.sink(ctx, req, this.association?.getCallingAeTitle() ?? '');
      this.sinks.set(req.getAffectedSopInstanceUid(), sink);
      return sink;
    }

    override createDatasetFromStoreWritableStream(
      writable: Writable,
      ctx: PresentationContext,
      callback: (dataset: Dataset) => void,
    ): void {
      // The bytes are in the store already; the request carries no parsed data set.
      writable.end(() => callback(new Dataset({}, ctx.getAcceptedTransferSyntaxUid())));
    }

    override cStoreRequest(request: CStoreRequest, callback: (r: CStoreResponse) => void): void {
      const sopUid = request.getAffectedSopInstanceUid();
      const sink = this.sinks.get(sopUid);
      this.sinks.delete(sopUid);
      const answer = (status: number) => {
        const response = responses.CStoreResponse.fromRequest(request);
        response.setStatus(status);
        callback(response);
      };
      if (!sink || !this.facilityId) return answer(Status.ProcessingFailure);
      void receiver
        .store(this.facilityId, sopUid, sink, this.association?.getCallingAeTitle() ?? '')
        .then(answer, () => answer(Status.ProcessingFailure));
    }
  } as unknown as typeof Scp;
}
