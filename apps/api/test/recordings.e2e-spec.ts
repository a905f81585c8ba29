import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { RecordingSchema } from '@caunoi/shared';
import { AttachmentStorage } from '../src/attachments/attachment-storage';
import { RecordingsService } from '../src/recordings/recordings.service';
import { RetentionService } from '../src/retention/retention.service';
import { acceptedConsultations, bookSession, freshUser } from './sessions-fixtures';
import { bearer, binaryParser, startTestApp, TestApp } from './support/test-app';

const SERVICE_TOKEN = 'recordings-service-token-0123456789';
const HOUR = 3600_000;

/**
 * Recording control and storage on real PostgreSQL with an encrypted attachment store; a
 * stand-in for the SFU's command channel records the commands (the SFU side, with real media and
 * ffmpeg, is tested in apps/sfu/test/recording.spec.ts). What the SFU delivers is sent here the
 * way it sends it: raw file bodies, then the result.
 */
describe('session recordings', () => {
  let t: TestApp;
  let sfu: http.Server;
  const commands: { path: string; body: { recordingId: string } }[] = [];
  let sfuAnswer = 202;
  const coordinator = () => bearer(t.tokens['coordinator@central-a.demo']);
  const service = bearer(SERVICE_TOKEN);

  beforeAll(async () => {
    sfu = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        commands.push({ path: req.url!, body: JSON.parse(body) });
        res.writeHead(sfuAnswer).end();
      });
    });
    await new Promise<void>((r) => sfu.listen(0, '127.0.0.1', r));
    t = await startTestApp({
      SFU_SERVICE_TOKEN: SERVICE_TOKEN,
      SFU_INTERNAL_URL: `http://127.0.0.1:${(sfu.address() as AddressInfo).port}`,
      SESSION_SWEEP_SECONDS: '0',
      STORAGE_KEY: randomBytes(32).toString('hex'),
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => sfu.close(r));
  });

  let booked = 0;
  async function session() {
    const doctor = await freshUser(t, ['specialist'], 'BV-TW-A');
    const [cid] = await acceptedConsultations(t, 1);
    const [{ patient_id: patientId }] = await t.sql<{ patient_id: string }>(
      `SELECT patient_id FROM consultations WHERE id = $1`,
      [cid],
    );
    // The demo requester takes part in every session: each gets its own slot.
    const startsAt = Date.now() + (2 + 2 * booked++) * HOUR;
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [doctor.id, t.userIds['requester@district-1.demo']],
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + HOUR).toISOString(),
    }).expect(201);
    return { id: res.body.id as string, cid, patientId, doctor };
  }
  const consent = (patientId: string, granted: boolean) =>
    t
      .http()
      .post(`/api/patients/${patientId}/consents`)
      .set(bearer(t.tokens['requester@district-1.demo']))
      .send({ kind: 'recording', granted })
      .expect(201);
  const audits = (action: string, patientId: string) =>
    t.sql<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = $1 AND patient_id = $2 ORDER BY at`,
      [action, patientId],
    );
  const deliver = async (recordingId: string, name: string, bytes: Buffer) =>
    (
      await t
        .http()
        .put(`/api/internal/recordings/${recordingId}/files/${name}`)
        .set(service)
        .set('content-type', 'application/octet-stream')
        .send(bytes)
        .expect(200)
    ).body as { sha256: string; sizeBytes: number };

  it('is refused (409 naming the patient) without a granted recording consent, and only the chair or an organiser may start it', async () => {
    const s = await session();
    const refused = await t
      .http()
      .post(`/api/sessions/${s.id}/recording/start`)
      .set(coordinator())
      .expect(409);
    expect(refused.body).toMatchObject({
      code: 'consent_missing',
      details: { patients: [{ id: s.patientId, consent: 'not_recorded' }] },
    });
    expect(await audits('recording.refused', s.patientId)).toHaveLength(1);
    await consent(s.patientId, true);
    // A participant who is not the chair: 403; someone outside the session: 404.
    await t.http().post(`/api/sessions/${s.id}/recording/start`).set(s.doctor.headers).expect(403);
    const outsider = bearer(t.tokens['coordinator@central-b.demo']);
    await t.http().post(`/api/sessions/${s.id}/recording/start`).set(outsider).expect(404);
    await t.http().post(`/api/sessions/not-a-uuid/recording/start`).set(coordinator()).expect(400);
    expect(commands.filter((c) => c.path.includes(s.id))).toEqual([]);
  });

  it('a failure the SFU reports, or a room that is not open, marks the recording failed', async () => {
    const s = await session();
    await consent(s.patientId, true);
    sfuAnswer = 404;
    const closed = await t
      .http()
      .post(`/api/sessions/${s.id}/recording/start`)
      .set(coordinator())
      .expect(409);
    expect(closed.body.code).toBe('room_not_open');
    sfuAnswer = 202;
    const started = await t
      .http()
      .post(`/api/sessions/${s.id}/recording/start`)
      .set(coordinator())
      .expect(201);
    await t
      .http()
      .post(`/api/internal/recordings/${started.body.id}/result`)
      .set(service)
      .send({ status: 'failed' })
      .expect(400);
    await t
      .http()
      .post(`/api/internal/recordings/${started.body.id}/result`)
      .set(service)
      .send({ status: 'failed', reason: 'ffmpeg of track 1 exited (null)' })
      .expect(204);
    const list = await t.http().get(`/api/sessions/${s.id}/recordings`).set(coordinator());
    expect(list.body.items.map((r: { status: string }) => r.status)).toEqual(['failed', 'failed']);
    expect(list.body.items[1].failureReason).toContain('ffmpeg');
    expect(await audits('recording.fail', s.patientId)).toHaveLength(1);
    // A new recording may start after a failed one; stopped but never delivered (the SFU died):
    // failed by the sweep once the delivery grace is over, and the session may record again.
    const third = await t
      .http()
      .post(`/api/sessions/${s.id}/recording/start`)
      .set(coordinator())
      .expect(201);
    await t.http().post(`/api/sessions/${s.id}/recording/stop`).set(coordinator()).expect(200);
    const recordings = t.app.get(RecordingsService, { strict: false });
    expect(await recordings.failUndelivered(new Date())).toEqual([]);
    expect(await recordings.failUndelivered(new Date(Date.now() + 31 * 60_000))).toEqual([
      third.body.id,
    ]);
    await t.http().post(`/api/sessions/${s.id}/recording/start`).set(coordinator()).expect(201);
  });

  it('starts, stops, stores what the SFU delivers (encrypted), plays it back audited, and keeps it past the retention job', async () => {
    const s = await session();
    await consent(s.patientId, true);
    const started = await t
      .http()
      .post(`/api/sessions/${s.id}/recording/start`)
      .set(coordinator())
      .expect(201);
    const rec = RecordingSchema.parse(started.body);
    expect(rec).toMatchObject({ status: 'recording', sessionId: s.id, consultationIds: [s.cid] });
    expect(commands.at(-1)).toEqual({
      path: `/internal/sessions/${s.id}/recording/start`,
      body: { recordingId: rec.id },
    });
    await t.http().post(`/api/sessions/${s.id}/recording/start`).set(coordinator()).expect(409);
    const stopped = await t
      .http()
      .post(`/api/sessions/${s.id}/recording/stop`)
      .set(coordinator())
      .expect(200);
    expect(stopped.body.endedAt).not.toBeNull();
    expect(commands.at(-1)!.path).toBe(`/internal/sessions/${s.id}/recording/stop`);

    // The SFU delivers the session file and one track file, then the result.
    const sessionBytes = randomBytes(50_000);
    const trackBytes = randomBytes(20_000);
    await t
      .http()
      .put(`/api/internal/recordings/${rec.id}/files/session.mkv`)
      .set(bearer('wrong-token-wrong-token-wrong-token!'))
      .send(sessionBytes)
      .expect(401);
    await t
      .http()
      .put(`/api/internal/recordings/${rec.id}/files/..%2Fetc`)
      .set(service)
      .send(sessionBytes)
      .expect(400);
    const file = await deliver(rec.id, 'session.mkv', sessionBytes);
    const track = await deliver(rec.id, 'track-0.webm', trackBytes);
    const timing = {
      index: 0,
      trackId: 'producer-1',
      kind: 'video',
      source: 'camera',
      displayName: 'Bác sĩ A',
      site: 'Bệnh viện Trung ương A',
      startOffset: 0.2,
      endOffset: 30.1,
      codec: 'video/VP8',
      fileName: 'track-0.webm',
      mediaType: 'video/webm',
      ...track,
    };
    const bad = await t
      .http()
      .post(`/api/internal/recordings/${rec.id}/result`)
      .set(service)
      .send({
        status: 'finished',
        durationSeconds: 30.1,
        file,
        tracks: [{ ...timing, sha256: 'a'.repeat(64) }],
      })
      .expect(400);
    expect(JSON.stringify(bad.body.details)).toContain('tracks.0.sha256');
    await t
      .http()
      .post(`/api/internal/recordings/${rec.id}/result`)
      .set(service)
      .send({ status: 'finished', durationSeconds: 30.1, file, tracks: [timing] })
      .expect(204);

    const got = await t.http().get(`/api/recordings/${rec.id}`).set(s.doctor.headers).expect(200);
    expect(RecordingSchema.parse(got.body)).toMatchObject({
      status: 'finished',
      durationSeconds: 30.1,
      sizeBytes: sessionBytes.length,
      sha256: file.sha256,
      tracks: [timing],
      consentWithdrawn: false,
    });
    // At rest the bytes are sealed: no stored file contains the plaintext.
    const stored = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(path.join(dir, f)).isDirectory() ? stored(path.join(dir, f)) : [path.join(dir, f)],
      );
    for (const f of stored(t.attachmentsDir))
      expect(readFileSync(f).includes(trackBytes.subarray(0, 64))).toBe(false);

    // Playback: the requesting site's requester (not a participant of the media room) may watch.
    const viewer = bearer(t.tokens['requester@district-1.demo']);
    const played = await t
      .http()
      .get(`/api/recordings/${rec.id}/tracks/0`)
      .set(viewer)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(Buffer.compare(played.body, trackBytes)).toBe(0);
    const part = await t
      .http()
      .get(`/api/recordings/${rec.id}/tracks/0`)
      .set(viewer)
      .set('range', 'bytes=100-199')
      .buffer(true)
      .parse(binaryParser)
      .expect(206);
    expect(Buffer.compare(part.body, trackBytes.subarray(100, 200))).toBe(0);
    await t.http().get(`/api/recordings/${rec.id}/tracks/7`).set(viewer).expect(404);
    await t
      .http()
      .get(`/api/recordings/${rec.id}`)
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(404);
    expect(await audits('recording.playback', s.patientId)).toHaveLength(1);
    expect((await audits('access.refused', s.patientId)).length).toBeGreaterThan(0);

    // The raw file: admins only, with a reason that lands in the audit trail.
    await t
      .http()
      .post(`/api/recordings/${rec.id}/download`)
      .set(coordinator())
      .send({ reason: 'Yêu cầu của thanh tra Sở Y tế' })
      .expect(403);
    const admin = bearer(t.tokens['admin@caunoi.demo']);
    const noReason = await t.http().post(`/api/recordings/${rec.id}/download`).set(admin).send({});
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const raw = await t
      .http()
      .post(`/api/recordings/${rec.id}/download`)
      .set(admin)
      .send({ reason: 'Yêu cầu của thanh tra Sở Y tế' })
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(Buffer.compare(raw.body, sessionBytes)).toBe(0);
    expect((await audits('recording.download', s.patientId))[0]!.details).toMatchObject({
      reason: 'Yêu cầu của thanh tra Sở Y tế',
    });

    // Consent withdrawn afterwards: the recording is kept but flagged; no new recording.
    await consent(s.patientId, false);
    const flagged = await t.http().get(`/api/recordings/${rec.id}`).set(viewer).expect(200);
    expect(flagged.body.consentWithdrawn).toBe(true);
    const again = await t
      .http()
      .post(`/api/sessions/${s.id}/recording/start`)
      .set(coordinator())
      .expect(409);
    expect(again.body).toMatchObject({
      code: 'consent_withdrawn',
      details: { patients: [{ id: s.patientId, consent: 'withdrawn' }] },
    });
    const list = await t.http().get(`/api/sessions/${s.id}/recordings`).set(coordinator());
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([rec.id]);

    // The purge job, run 9 and 11 years on, keeps the recording and its files (it also ends
    // every sign-in as of then: this step comes last, checked in the database and the store).
    const retention = t.app.get(RetentionService);
    const storage = t.app.get(AttachmentStorage, { strict: false });
    for (const years of [9, 11]) {
      await retention.purge(new Date(Date.now() + years * 365 * 24 * HOUR));
      const [row] = await t.sql<{ status: string }>(`SELECT status FROM recordings WHERE id = $1`, [
        rec.id,
      ]);
      expect(row).toEqual({ status: 'finished' });
      for (const sha of [file.sha256, track.sha256])
        expect((await storage.open(sha)).size).toBeGreaterThan(0);
    }
  });
});
