import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { PassThrough, Writable } from 'node:stream';
import { AttachmentStorage, ReceivedFile } from '../attachments/attachment-storage';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { DicomInboxRepository } from './dicom-inbox.repository';
import { inboxFacts, part10Header } from './dicom-part10';

/** What became of one received data set (the SCP answers the C-STORE status from it). */
export type StoreOutcome = 'stored' | 'too_large' | 'no_study' | 'failed';

const FACTS_HEAD_BYTES = 1024 * 1024;

/** One C-STORE data set on its way into the attachment store, with a byte limit. */
export class InstanceSink extends Writable {
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
  private server: { close(): void } | null = null;

  constructor(
    @Inject(DicomInboxRepository) private readonly repo: DicomInboxRepository,
    @Inject(AttachmentStorage) private readonly storage: AttachmentStorage,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get port(): number | null {
    return this.config.DICOM_SCP_PORT ?? null;
  }

  async onModuleInit(): Promise<void> {
    const port = this.port;
    if (!port) return;
    // The DICOM library is large: loaded only where the receiver is on.
    const { listen } = await import('./dicom-scp');
    this.server = listen(this, port, (err) => this.logger.warn({ err }, 'DICOM network error'));
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

  sink(m: Parameters<typeof part10Header>[0]): InstanceSink {
    return new InstanceSink(this.storage, part10Header(m), this.config.MAX_ATTACHMENT_BYTES);
  }

  /** Files a finished data set into the facility's inbox. */
  async store(
    facilityId: string,
    sopUid: string,
    sink: InstanceSink,
    callingAe: string,
  ): Promise<StoreOutcome> {
    const file = await sink.received;
    if (sink.tooLarge || !file) return sink.tooLarge ? 'too_large' : 'failed';
    try {
      const facts = inboxFacts(await this.storage.readStart(file, FACTS_HEAD_BYTES));
      if (!facts.studyUid) {
        await this.storage.discard(file);
        return 'no_study';
      }
      // One sender cannot fill the store every site depends on.
      if ((await this.repo.bytesHeld(facilityId)) + file.size > this.config.DICOM_INBOX_MAX_BYTES) {
        await this.storage.discard(file);
        return 'too_large';
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
      return 'stored';
    } catch (err) {
      await this.storage.discard(file).catch(() => {});
      this.logger.warn({ err }, 'a received DICOM instance could not be filed');
      return 'failed';
    }
  }
}
