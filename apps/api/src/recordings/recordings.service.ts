import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { Recording, RecordingFileStored, RecordingResult } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AttachmentStorage } from '../attachments/attachment-storage';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/current-user';
import { conflict, invalidInput, notFound } from '../common/errors';
import { everyInterval } from '../common/interval-job';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ConsentGate } from '../patients/consent-gate';
import { SfuCommands } from '../sessions/sfu-commands';
import {
  type CoveredPatient,
  type RecordingRow,
  RecordingsRepository,
  UNIQUE_VIOLATION,
} from './recordings.repository';

/**
 * Starting and stopping a session's recording, and taking the SFU's result. The API decides
 * (the consent of every covered patient; the chair or an organiser asks) and the SFU records:
 * it only learns the session and recording ids. Every start, stop, refusal and result is audited
 * once per covered patient.
 */
/** After a stop, how long the SFU may take to deliver before the recording counts as failed. */
export const DELIVERY_GRACE_MS = 30 * 60_000;

@Injectable()
export class RecordingsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Recordings');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(RecordingsRepository) private readonly repo: RecordingsRepository,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(ConsentGate) private readonly consent: ConsentGate,
    @Inject(SfuCommands) private readonly sfu: SfuCommands,
    @Inject(AttachmentStorage) private readonly storage: AttachmentStorage,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // A recording whose SFU died (or restarted) never reports: it would stay `recording` and keep
  // the session from being recorded again. The session sweep's rhythm checks for them.
  onApplicationBootstrap(): void {
    this.timer = everyInterval(
      this.config.SESSION_SWEEP_SECONDS * 1000,
      () => this.failUndelivered(new Date()),
      this.log,
      'Recording sweep',
    );
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Recordings stopped more than DELIVERY_GRACE_MS before `now` without a result: failed. */
  async failUndelivered(now: Date): Promise<string[]> {
    const reason = 'The media server delivered nothing after the stop';
    const stale = await this.repo.failStale(new Date(now.getTime() - DELIVERY_GRACE_MS), reason);
    for (const r of stale)
      await this.auditAll(
        null,
        'recording.fail',
        r.sessionId,
        await this.repo.covered(r.sessionId),
        {
          recordingId: r.id,
          reason,
        },
      );
    return stale.map((r) => r.id);
  }

  /** `POST /sessions/:id/recording/start`: 409 naming the patients without a granted consent. */
  async start(actor: Actor, sessionId: string): Promise<Recording> {
    const covered = await this.requireChairOrOrganiser(actor, sessionId, 'start');
    const missing: Array<{ id: string; consent: string }> = [];
    for (const patientId of new Set(covered.map((c) => c.patientId))) {
      const state = (await this.consent.states(patientId)).recording;
      if (state !== 'granted') missing.push({ id: patientId, consent: state });
    }
    if (missing.length) {
      await this.auditAll(actor, 'recording.refused', sessionId, covered, {
        patients: missing.map((p) => p.id),
      });
      throw conflict(
        `Recording needs the recording consent of every patient of the session; missing for ${missing.length} patient(s)`,
        { patients: missing },
        missing.some((p) => p.consent === 'withdrawn') ? 'consent_withdrawn' : 'consent_missing',
      );
    }
    let id: string;
    try {
      id = await this.repo.insert(sessionId, actor.user.id);
    } catch (err) {
      const code = (err as { code?: string; driverError?: { code?: string } }).driverError?.code;
      if ((code ?? (err as { code?: string }).code) === UNIQUE_VIOLATION)
        throw conflict('This session is already being recorded');
      throw err;
    }
    const sent = await this.sfu.recording(sessionId, 'start', id);
    if (sent.outcome !== 'accepted') {
      const reason =
        sent.status === 404
          ? 'The conference room is not open (nobody is in it)'
          : `The media server could not start the recording: ${sent.message ?? sent.status}`;
      await this.repo.markFailed(id, reason);
      throw conflict(reason, undefined, sent.status === 404 ? 'room_not_open' : undefined);
    }
    await this.auditAll(actor, 'recording.start', sessionId, covered, { recordingId: id });
    return this.view((await this.repo.findById(id))!, covered);
  }

  /** `POST /sessions/:id/recording/stop`: the SFU finishes the files and reports back. */
  async stop(actor: Actor, sessionId: string): Promise<Recording> {
    const covered = await this.requireChairOrOrganiser(actor, sessionId, 'stop');
    const active = await this.repo.active(sessionId);
    if (!active) throw conflict('This session is not being recorded');
    await this.repo.markStopping(active.id, actor.user.id);
    const sent = await this.sfu.recording(sessionId, 'stop', active.id);
    // The SFU no longer knows it (restarted, room gone): nothing will ever be delivered.
    if (sent.outcome === 'refused' && sent.status === 404)
      await this.repo.markFailed(active.id, 'The media server no longer had this recording');
    await this.auditAll(actor, 'recording.stop', sessionId, covered, { recordingId: active.id });
    return this.view((await this.repo.findById(active.id))!, covered);
  }

  // ---------------------------------------------------------------- from the SFU

  /** `PUT /internal/recordings/:id/files/:name`: a file of a recording still in progress. */
  async storeFile(id: string, source: Readable): Promise<RecordingFileStored> {
    const rec = await this.repo.findById(id);
    if (!rec) throw notFound('Recording');
    if (rec.status !== 'recording') throw conflict(`This recording is ${rec.status}`);
    const file = await this.storage.receive(source);
    await this.storage.keep(file);
    return { sha256: file.sha256, sizeBytes: file.size };
  }

  /** `POST /internal/recordings/:id/result`: finished (its files stored before) or failed. */
  async result(id: string, result: RecordingResult): Promise<void> {
    const rec = await this.repo.findById(id);
    if (!rec) throw notFound('Recording');
    if (rec.status !== 'recording') return; // repeated report: already decided
    const covered = await this.repo.covered(rec.sessionId);
    if (result.status === 'failed') {
      const reason = result.reason ?? 'failed';
      await this.repo.markFailed(id, reason);
      this.log.warn(`recording ${id} of session ${rec.sessionId} failed: ${reason}`);
      await this.auditAll(null, 'recording.fail', rec.sessionId, covered, {
        recordingId: id,
        reason,
      });
      return;
    }
    const file = result.file!;
    const tracks = result.tracks ?? [];
    const files = [file, ...tracks];
    for (const [i, f] of files.entries()) {
      const stored = await this.storage.open(f.sha256).catch(() => null);
      if (!stored || stored.size !== f.sizeBytes)
        throw invalidInput({
          path: i === 0 ? 'file.sha256' : `tracks.${i - 1}.sha256`,
          message: 'No stored file with this hash and size: upload it first',
        });
    }
    await this.repo.markFinished(id, {
      durationSeconds: result.durationSeconds ?? 0,
      sizeBytes: file.sizeBytes,
      sha256: file.sha256,
      tracks,
    });
    await this.auditAll(null, 'recording.finish', rec.sessionId, covered, {
      recordingId: id,
      sizeBytes: file.sizeBytes,
      tracks: tracks.length,
    });
  }

  // ---------------------------------------------------------------- shared

  /** The response shape; flags (once) a recording whose consent was withdrawn since. */
  async view(rec: RecordingRow, covered?: CoveredPatient[]): Promise<Recording> {
    const cases = covered ?? (await this.repo.covered(rec.sessionId));
    let withdrawnAt = rec.consentWithdrawnAt;
    if (!withdrawnAt) {
      for (const patientId of new Set(cases.map((c) => c.patientId))) {
        if ((await this.consent.states(patientId)).recording === 'withdrawn') {
          await this.repo.flagConsentWithdrawn([rec.id]);
          withdrawnAt = new Date();
          break;
        }
      }
    }
    return {
      id: rec.id,
      sessionId: rec.sessionId,
      consultationIds: cases.map((c) => c.consultationId),
      status: rec.status,
      startedAt: rec.startedAt.toISOString(),
      endedAt: rec.endedAt?.toISOString() ?? null,
      startedBy: rec.startedBy,
      durationSeconds: rec.durationSeconds,
      sizeBytes: rec.sizeBytes,
      sha256: rec.sha256,
      tracks: rec.tracks,
      failureReason: rec.failureReason,
      consentWithdrawn: !!withdrawnAt,
    };
  }

  async auditAll(
    actor: Actor | null,
    action: string,
    sessionId: string,
    covered: CoveredPatient[],
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.recordMany(
      actor,
      action,
      covered.length
        ? covered.map((c) => ({
            type: 'session',
            id: sessionId,
            patientId: c.patientId,
            details: { ...details, consultationId: c.consultationId },
          }))
        : [{ type: 'session', id: sessionId, details }],
    );
  }

  private async requireChairOrOrganiser(
    actor: Actor,
    sessionId: string,
    doing: 'start' | 'stop',
  ): Promise<CoveredPatient[]> {
    const s = await this.access.session(actor, sessionId);
    const chair = s.participant && (await this.repo.isChair(sessionId, actor.user.id));
    await this.access.require(
      actor,
      s.organiser || chair,
      `Only the chair or a coordinator of the organising facility may ${doing} the recording`,
      { type: 'session', id: sessionId },
    );
    if (s.status === 'ended' || s.status === 'cancelled')
      throw conflict(
        `This session is ${s.status}`,
        undefined,
        s.status === 'ended' ? 'session_ended' : 'session_cancelled',
      );
    return this.repo.covered(sessionId);
  }
}
