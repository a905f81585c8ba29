import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AttachmentStorage } from '../attachments/attachment-storage';
import { AuditService } from '../audit/audit.service';
import { everyInterval } from '../common/interval-job';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { deidentifyDicom, NotSendableError } from './deidentify-dicom';
import { ClaimedReading, MachineReadingsRepository } from './machine-readings.repository';
import { readAnswer } from './reader-answer';
import { callReader } from './reader-client';
import { whyNotForReader } from './reader-eligibility';
import { openToken } from './reader-token-cipher';

/** Images older than this are not looked at any more (an upload is seen within seconds). */
const LOOK_BACK_MS = 7 * 24 * 3600 * 1000;
const BATCH = 20;
/** The longest wait between two tries of a reader that cannot be reached. */
const MAX_RETRY_DELAY_MS = 3600 * 1000;

/**
 * The machine pre-read job. Every round it (1) gives each new DICOM image of a consultation whose
 * requesting or target facility has a reader a `machine_readings` row (pending, or skipped when
 * the reader does not read that kind of image), then (2) takes the due pending rows and sends each
 * image, de-identified, to the reader. The rows are the queue: an upload never waits for a reader,
 * and an API restart loses nothing (a row taken by an instance that died is due again when its
 * lease runs out). A reader that cannot be reached, times out or answers 5xx/429 is tried again
 * with a doubling wait, up to MACHINE_READER_MAX_ATTEMPTS; an answer that is not a valid report
 * fails the reading at once with the reason.
 */
@Injectable()
export class MachineReadingJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('MachineReadings');
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(MachineReadingsRepository) private readonly repo: MachineReadingsRepository,
    @Inject(AttachmentStorage) private readonly storage: AttachmentStorage,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = everyInterval(
      this.config.MACHINE_READING_SWEEP_MS,
      () => this.round(),
      this.log,
      'Machine reading round',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One round; a round still running (a slow reader) is not overlapped. */
  round(): Promise<unknown> {
    if (this.running) return this.running;
    this.running = this.enqueueNew()
      .then(() => this.sendDue())
      .finally(() => (this.running = null));
    return this.running;
  }

  private async enqueueNew(): Promise<void> {
    if (!(await this.repo.anyReader())) return; // most installations: nothing to look for
    const since = new Date(Date.now() - LOOK_BACK_MS);
    for (const c of await this.repo.candidates(since, 200)) {
      const why = whyNotForReader(c.metadata, c);
      await this.repo.enqueue(c.attachmentId, c.facilityId, why ? 'skipped' : 'pending', why);
    }
  }

  private async sendDue(): Promise<void> {
    const leaseMs = this.config.MACHINE_READER_TIMEOUT_SECONDS * 1000 + 60_000;
    for (;;) {
      const due = await this.repo.claimDue(leaseMs, BATCH);
      for (const r of due) await this.attempt(r);
      if (due.length < BATCH) return;
    }
  }

  private async attempt(r: ClaimedReading): Promise<void> {
    if (!r.url) return this.repo.fail(r.id, 'the facility no longer has a reader');
    let image;
    try {
      const stored = await this.storage.open(r.sha256);
      const bytes = await toBuffer(stored.read(0, Math.max(0, stored.size - 1)));
      image = await deidentifyDicom(bytes, this.config.MAX_DICOM_INFLATED_BYTES);
    } catch (err) {
      const reason =
        err instanceof NotSendableError ? err.message : 'the stored image cannot be read';
      if (!(err instanceof NotSendableError)) this.log.warn(`reading ${r.id}: ${String(err)}`);
      return this.repo.fail(r.id, `not sent: ${reason}`);
    }
    const token = r.tokenSealed && this.config.STORAGE_KEY ? this.token(r.tokenSealed) : null;
    // What leaves is on the record: which image, to whose reader, how many bytes.
    await this.audit.record(null, 'attachment.machine_reading.send', {
      type: 'attachment',
      id: r.attachmentId,
      patientId: r.patientId,
      details: {
        readingId: r.id,
        readerFacilityId: r.facilityId,
        bytes: image.dicom.length,
        attempt: r.attempts,
      },
    });
    const call = await callReader(r.url, token, image.dicom, {
      timeoutMs: this.config.MACHINE_READER_TIMEOUT_SECONDS * 1000,
      maxAnswerBytes: this.config.MACHINE_READER_MAX_ANSWER_BYTES,
      readingId: r.id,
    });
    const size = { columns: image.columns, rows: image.rows };
    if (call.kind === 'oversized') return this.repo.fail(r.id, call.reason, size);
    const retryable =
      call.kind === 'unreachable' ||
      call.status >= 500 ||
      call.status === 429 ||
      call.status === 408;
    if (retryable) {
      const reason =
        call.kind === 'unreachable' ? call.reason : `the reader answered HTTP ${call.status}`;
      if (r.attempts >= this.config.MACHINE_READER_MAX_ATTEMPTS)
        return this.repo.fail(r.id, `${reason}; gave up after ${r.attempts} attempts`, size);
      const delay = Math.min(
        MAX_RETRY_DELAY_MS,
        this.config.MACHINE_READER_RETRY_SECONDS * 1000 * 2 ** (r.attempts - 1),
      );
      return this.repo.retryLater(r.id, reason, delay);
    }
    if (call.status < 200 || call.status > 299)
      return this.repo.fail(r.id, `the reader refused the image (HTTP ${call.status})`, size);
    const answer = readAnswer(call.body, image.columns, image.rows);
    if (!answer.ok) return this.repo.fail(r.id, answer.reason, size);
    await this.repo.complete(r.id, { ...size, ...answer });
    this.log.log(`reading ${r.id}: ${answer.findings.length} finding(s)`);
  }

  private token(sealed: string): string | null {
    try {
      return openToken(this.config.STORAGE_KEY!, sealed);
    } catch {
      this.log.warn('a reader token cannot be decrypted with the current STORAGE_KEY');
      return null;
    }
  }
}

async function toBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
