import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../src/bootstrap';
import { SessionLifecycleService } from '../src/sessions/session-lifecycle.service';
import { acceptedConsultations, bookSession, freshUser, joinTokenKeys } from './sessions-fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

const MINUTE = 60_000;
const SERVICE_TOKEN = 'lifecycle-service-token-0123456789';

/**
 * Start, end and cancel of a session on real PostgreSQL, with the job driven at chosen times and
 * a stand-in for the SFU's command channel that records what it is told (and can refuse).
 */
describe('session lifecycle', () => {
  let t: TestApp;
  let lifecycle: SessionLifecycleService;
  let sfu: http.Server;
  const commands: { path: string; auth?: string; body: unknown }[] = [];
  let sfuAnswer = 204;
  const coordinator = () => bearer(t.tokens['coordinator@central-a.demo']);

  beforeAll(async () => {
    sfu = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        commands.push({ path: req.url!, auth: req.headers.authorization, body: JSON.parse(body) });
        res.writeHead(sfuAnswer).end();
      });
    });
    await new Promise<void>((r) => sfu.listen(0, '127.0.0.1', r));
    t = await startTestApp({
      SFU_SERVICE_TOKEN: SERVICE_TOKEN,
      JOIN_TOKEN_PRIVATE_KEY: joinTokenKeys().privatePem,
      SFU_INTERNAL_URL: `http://127.0.0.1:${(sfu.address() as AddressInfo).port}`,
      SESSION_SWEEP_SECONDS: '0',
      SESSION_END_GRACE_MINUTES: '15',
      SESSION_MAX_OVERRUN_MINUTES: '120',
    });
    lifecycle = t.app.get(SessionLifecycleService, { strict: false });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => sfu.close(r));
  });

  const iso = (ms: number) => new Date(ms).toISOString();
  /** A session of two fresh people and the organiser, [start, start + 1 h), covering one request. */
  async function session(startsAt: number) {
    const doctor = await freshUser(t, ['specialist'], 'BV-TW-A');
    const requester = await freshUser(t, ['requester'], 'TTYT-H1');
    const [cid] = await acceptedConsultations(t, 1);
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [doctor.id, requester.id],
      startsAt: iso(startsAt),
      endsAt: iso(startsAt + 60 * MINUTE),
    }).expect(201);
    return {
      id: res.body.id as string,
      cid,
      doctor,
      requester,
      startsAt,
      endsAt: startsAt + 60 * MINUTE,
    };
  }
  const attendance = (sessionId: string, userId: string, event: 'joined' | 'left', at: number) =>
    t
      .http()
      .post('/api/internal/attendance')
      .set(bearer(SERVICE_TOKEN))
      .send({ sessionId, userId, peerId: `peer-${userId}`, event, at: iso(at) })
      .expect(204);
  const statusOf = async (table: 'sessions' | 'consultations', id: string) =>
    (await t.sql<{ status: string }>(`SELECT status FROM ${table} WHERE id = $1`, [id]))[0].status;

  it('starts at the first admission inside its time — not on a token or an early test join', async () => {
    const s = await session(Date.now() + 10 * MINUTE);
    await t.http().post(`/api/sessions/${s.id}/join`).set(s.doctor.headers).expect(200);
    await attendance(s.id, s.doctor.id, 'joined', Date.now()); // 10 minutes early
    expect(await statusOf('sessions', s.id)).toBe('scheduled');
    await lifecycle.sweep(new Date(Date.now()));
    expect(await statusOf('sessions', s.id)).toBe('scheduled');
    // still in the room when the start comes: the job starts it
    const report = await lifecycle.sweep(new Date(s.startsAt + MINUTE));
    expect(report?.started).toContain(s.id);
    expect(await statusOf('sessions', s.id)).toBe('in_progress');
    expect(await statusOf('consultations', s.cid)).toBe('in_progress');

    const late = await session(Date.now() - 5 * MINUTE);
    await attendance(late.id, late.requester.id, 'joined', Date.now());
    expect(await statusOf('sessions', late.id)).toBe('in_progress');
  });

  it('a coordinator can cancel a session nobody was admitted to, even after a token was issued', async () => {
    const s = await session(Date.now() + 5 * MINUTE);
    await t.http().post(`/api/sessions/${s.id}/join`).set(s.doctor.headers).expect(200);
    const res = await t
      .http()
      .post(`/api/sessions/${s.id}/cancel`)
      .set(coordinator())
      .send({ reason: 'Bệnh nhân chuyển viện' })
      .expect(200);
    expect(res.body.status).toBe('cancelled');
    expect(await statusOf('consultations', s.cid)).toBe('accepted'); // back to scheduling
    commands.length = 0;
    const report = await lifecycle.sweep(new Date());
    expect(report?.roomsClosed).toContain(s.id); // the SFU drops any test room
    expect(commands.map((c) => c.path)).toContain(`/internal/sessions/${s.id}/end`);
  });

  it('the chair or an organising coordinator ends it; the SFU is told; joins and cancels are refused after', async () => {
    const s = await session(Date.now() - 10 * MINUTE);
    await attendance(s.id, s.doctor.id, 'joined', Date.now());
    await t.http().post(`/api/sessions/${s.id}/end`).set(s.requester.headers).expect(403);
    await t
      .http()
      .post(`/api/sessions/${s.id}/cancel`)
      .set(coordinator())
      .send({ reason: 'Thử hủy khi đang họp' })
      .expect(409);
    commands.length = 0;
    const res = await t.http().post(`/api/sessions/${s.id}/end`).set(coordinator()).expect(200);
    expect(res.body).toMatchObject({ status: 'ended', endReason: 'ended_by_coordinator' });
    expect(res.body.endedAt).toEqual(expect.any(String));
    expect(res.body.history.map((h: { kind: string }) => h.kind)).toContain('ended');
    expect(commands).toEqual([
      {
        path: `/internal/sessions/${s.id}/end`,
        auth: `Bearer ${SERVICE_TOKEN}`,
        body: { reason: 'ended_by_coordinator' },
      },
    ]);
    // the request waits for its minutes; nobody is left "present"
    expect(await statusOf('consultations', s.cid)).toBe('in_progress');
    const open = await t.sql(`SELECT 1 FROM attendance WHERE session_id = $1 AND left_at IS NULL`, [
      s.id,
    ]);
    expect(open).toEqual([]);
    const again = await t.http().post(`/api/sessions/${s.id}/end`).set(coordinator()).expect(409);
    expect(again.body.code).toBe('session_ended');
    const join = await t
      .http()
      .post(`/api/sessions/${s.id}/join`)
      .set(s.doctor.headers)
      .expect(409);
    expect(join.body.code).toBe('session_ended');

    // The chair of the minutes may end their own session too.
    const c = await session(Date.now() - 10 * MINUTE);
    await attendance(c.id, c.doctor.id, 'joined', Date.now());
    await t
      .http()
      .put(`/api/consultations/${c.cid}/minutes`)
      .set(c.doctor.headers)
      .send({
        summary: 'Tóm tắt',
        opinions: 'Ý kiến',
        conclusion: 'Kết luận',
        recommendations: 'Đề nghị',
        chairId: c.doctor.id,
      })
      .expect(200);
    const byChair = await t
      .http()
      .post(`/api/sessions/${c.id}/end`)
      .set(c.doctor.headers)
      .expect(200);
    expect(byChair.body.endReason).toBe('ended_by_chair');
  });

  it('ends by itself after its end + grace with nobody in the room, or past the overrun limit', async () => {
    const empty = await session(Date.now() - 30 * MINUTE);
    await attendance(empty.id, empty.doctor.id, 'joined', Date.now());
    await attendance(empty.id, empty.doctor.id, 'left', Date.now() + 1000);
    const stayed = await session(Date.now() - 30 * MINUTE);
    await attendance(stayed.id, stayed.doctor.id, 'joined', Date.now());

    await lifecycle.sweep(new Date(empty.endsAt + 10 * MINUTE)); // within the grace
    expect(await statusOf('sessions', empty.id)).toBe('in_progress');
    const report = await lifecycle.sweep(new Date(empty.endsAt + 16 * MINUTE));
    expect(report?.ended).toContain(empty.id);
    expect(report?.ended).not.toContain(stayed.id); // someone is still there
    const [row] = await t.sql<{ end_reason: string }>(
      `SELECT end_reason FROM sessions WHERE id = $1`,
      [empty.id],
    );
    expect(row.end_reason).toBe('ended_after_schedule');
    await lifecycle.sweep(new Date(stayed.endsAt + 121 * MINUTE)); // a leave the SFU never sent
    expect(await statusOf('sessions', stayed.id)).toBe('ended');
  });

  it('the SFU command is sent again until the SFU confirms (e.g. 404 before it knows the command)', async () => {
    const s = await session(Date.now() - 10 * MINUTE);
    await attendance(s.id, s.doctor.id, 'joined', Date.now());
    sfuAnswer = 404;
    commands.length = 0;
    await t.http().post(`/api/sessions/${s.id}/end`).set(coordinator()).expect(200);
    await lifecycle.sweep(new Date());
    const pending = async () =>
      (
        await t.sql<{ n: string | null }>(
          `SELECT sfu_notified_at AS n FROM sessions WHERE id = $1`,
          [s.id],
        )
      )[0].n;
    expect(await pending()).toBeNull();
    sfuAnswer = 204;
    const report = await lifecycle.sweep(new Date());
    expect(report?.roomsClosed).toContain(s.id);
    expect(await pending()).not.toBeNull();
    const sent = commands.filter((c) => c.path === `/internal/sessions/${s.id}/end`).length;
    expect(sent).toBe(3); // refused, refused, confirmed
    await lifecycle.sweep(new Date());
    expect(commands.filter((c) => c.path === `/internal/sessions/${s.id}/end`).length).toBe(sent);
  });

  it('with several API instances a session is ended exactly once', async () => {
    const second: INestApplication = await createApp(); // same database (the harness's env)
    await second.init();
    try {
      const other = second.get(SessionLifecycleService, { strict: false });
      const sessions = await Promise.all([0, 1, 2].map(() => session(Date.now() - 30 * MINUTE)));
      for (const s of sessions) await attendance(s.id, s.doctor.id, 'joined', Date.now());
      for (const s of sessions) await attendance(s.id, s.doctor.id, 'left', Date.now() + 1000);
      const later = new Date(sessions[0].endsAt + 20 * MINUTE);
      const reports = await Promise.all([
        lifecycle.sweep(later),
        other.sweep(later),
        lifecycle.sweep(later),
        other.sweep(later),
        t.http().post(`/api/sessions/${sessions[0].id}/end`).set(coordinator()),
      ]);
      expect(reports.slice(0, 4).filter((r) => r !== null).length).toBeGreaterThanOrEqual(1);
      for (const s of sessions) {
        expect(await statusOf('sessions', s.id)).toBe('ended');
        const ends = await t.sql(
          `SELECT 1 FROM session_changes WHERE session_id = $1 AND kind = 'ended'`,
          [s.id],
        );
        expect(ends).toHaveLength(1);
      }
    } finally {
      await second.close();
    }
  });
});
