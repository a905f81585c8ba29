import { Inject, Injectable } from '@nestjs/common';
import type { List, Recording, RecordingChatItem } from '@caunoi/shared';
import { AccessPolicy } from '../access/access-policy.service';
import { AttachmentStorage, type StoredFile } from '../attachments/attachment-storage';
import type { Actor } from '../auth/current-user';
import { hasRole } from '../auth/current-user';
import { conflict, notFound } from '../common/errors';
import {
  type CoveredPatient,
  type RecordingRow,
  RecordingsRepository,
} from './recordings.repository';
import { RecordingsService } from './recordings.service';

/**
 * Who may watch a recording, and the audit of every look: the session's participants and
 * organisers, and whoever may see one of the requests it covers (the requesting and target
 * facilities' authorised users). The raw session file is for admins only, with a reason.
 */
@Injectable()
export class RecordingPlaybackService {
  constructor(
    @Inject(RecordingsRepository) private readonly repo: RecordingsRepository,
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
    @Inject(AccessPolicy) private readonly access: AccessPolicy,
    @Inject(AttachmentStorage) private readonly storage: AttachmentStorage,
  ) {}

  async listForSession(actor: Actor, sessionId: string): Promise<List<Recording>> {
    await this.access.session(actor, sessionId);
    const rows = await this.repo.listFor(sessionId);
    const covered = await this.repo.covered(sessionId);
    return { items: await Promise.all(rows.map((r) => this.recordings.view(r, covered))) };
  }

  async get(actor: Actor, id: string): Promise<Recording> {
    const { rec, covered } = await this.viewable(actor, id);
    await this.recordings.auditAll(actor, 'recording.read', rec.sessionId, covered, {
      recordingId: id,
    });
    return this.recordings.view(rec, covered);
  }

  /** One track's own file for the player; audited once per playback (not per byte range). */
  async openTrack(
    actor: Actor,
    id: string,
    index: number,
    range: string | undefined,
  ): Promise<{ file: StoredFile; mediaType: string; fileName: string }> {
    const { rec, covered } = await this.viewable(actor, id);
    const track = rec.tracks.find((t) => t.index === index);
    if (!track) throw notFound('Track');
    if (!range || /^bytes=0-/.test(range.trim()))
      await this.recordings.auditAll(actor, 'recording.playback', rec.sessionId, covered, {
        recordingId: id,
        track: index,
      });
    return {
      file: await this.storage.open(track.sha256),
      mediaType: track.mediaType,
      fileName: track.fileName,
    };
  }

  /** Chat of the session placed on the recording's time line. */
  async chat(actor: Actor, id: string): Promise<List<RecordingChatItem>> {
    const { rec } = await this.viewable(actor, id);
    const start = rec.startedAt.getTime();
    const items = (await this.repo.chat(rec.sessionId)).map((m) => ({
      at: m.at.toISOString(),
      offset: (m.at.getTime() - start) / 1000,
      author: m.author,
      text: m.text,
    }));
    return { items };
  }

  /** The raw session file: admins only, the reason in the audit trail. */
  async download(actor: Actor, id: string, reason: string) {
    const rec = await this.repo.findById(id);
    if (!rec) throw notFound('Recording');
    const covered = await this.repo.covered(rec.sessionId);
    await this.access.require(
      actor,
      hasRole(actor.user, 'admin'),
      'Only an administrator may download the raw recording',
      { type: 'recording', id, patientId: covered[0]?.patientId },
    );
    if (rec.status !== 'finished' || !rec.sha256)
      throw conflict(`This recording is ${rec.status}; there is no file to download`);
    await this.recordings.auditAll(actor, 'recording.download', rec.sessionId, covered, {
      recordingId: id,
      reason,
    });
    return {
      file: await this.storage.open(rec.sha256),
      fileName: `recording-${rec.startedAt.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.mkv`,
    };
  }

  /** 404 (audited as a refusal) unless the caller may see the session or one of its cases. */
  private async viewable(
    actor: Actor,
    id: string,
  ): Promise<{ rec: RecordingRow; covered: CoveredPatient[] }> {
    const rec = await this.repo.findById(id);
    if (!rec) throw notFound('Recording');
    const covered = await this.repo.covered(rec.sessionId);
    const fail = () => {
      throw notFound('Recording');
    };
    if (!covered.length) {
      await this.access.session(actor, rec.sessionId).catch(fail);
      return { rec, covered };
    }
    for (const c of covered) {
      const ok = await this.access.consultation(actor, c.consultationId).then(
        () => true,
        () => false,
      );
      if (ok) return { rec, covered };
    }
    await this.access.session(actor, rec.sessionId).catch(fail);
    return { rec, covered };
  }
}
