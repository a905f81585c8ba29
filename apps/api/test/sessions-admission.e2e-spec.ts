import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  JOIN_TOKEN_AUDIENCE,
  JOIN_TOKEN_ISSUER,
  JoinResponseSchema,
  JoinTokenClaimsSchema,
} from '@caunoi/shared';
import { bearer, DemoEmail, startTestApp, TestApp } from './support/test-app';
import { acceptedConsultations, bookSession, freshUser, joinTokenKeys } from './sessions-fixtures';

const MINUTE = 60_000;
const SERVICE_TOKEN = 'sfu-service-token-for-tests-0123456789';
const TURN_SECRET = 'coturn-static-auth-secret-for-tests';

describe('sessions: admission (join tokens) and attendance from the SFU', () => {
  let t: TestApp;
  const keys = joinTokenKeys();
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  const id = (email: DemoEmail) => t.userIds[email];
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const verify = (token: string, opts: jwt.VerifyOptions = {}) =>
    jwt.verify(token, keys.publicPem, {
      algorithms: ['ES256'],
      issuer: JOIN_TOKEN_ISSUER,
      audience: JOIN_TOKEN_AUDIENCE,
      ...opts,
    }) as jwt.JwtPayload;

  type Person = { id: string; headers: Record<string, string> };
  const specialist = () => freshUser(t, ['specialist'], 'BV-TW-A');
  const requester = () => freshUser(t, ['requester'], 'TTYT-H1');

  /** A session of these people, `startsInMs` from now, one hour long. */
  async function session(startsInMs: number, participants: Person[]) {
    const [cid] = await acceptedConsultations(t, 1);
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: participants.map((p) => p.id),
      startsAt: at(startsInMs),
      endsAt: at(startsInMs + 60 * MINUTE),
    }).expect(201);
    return { sessionId: res.body.id as string, consultationId: cid };
  }

  beforeAll(async () => {
    t = await startTestApp({
      JOIN_TOKEN_PRIVATE_KEY: keys.privatePem,
      SFU_SERVICE_TOKEN: SERVICE_TOKEN,
      SFU_PUBLIC_URL: 'https://sfu.example.test',
      ICE_SERVERS: JSON.stringify([
        { urls: 'turn:turn.example.test:3478', username: 'u', credential: 'c' },
      ]),
      TURN_URLS: 'turn:turn.example.test:3478?transport=udp,turns:turn.example.test:443',
      TURN_SECRET: TURN_SECRET,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an invited participant gets a short-lived ES256 token the SFU verifies with the public key; a token alone starts nothing', async () => {
    const doctor = await requester();
    const { sessionId, consultationId } = await session(5 * MINUTE, [doctor, await specialist()]);
    const res = await t
      .http()
      .post(`/api/sessions/${sessionId}/join`)
      .set(doctor.headers)
      .expect(200);
    const body = JoinResponseSchema.parse(res.body);
    expect(body).toMatchObject({
      sfuUrl: 'https://sfu.example.test',
      iceServers: [
        { urls: 'turn:turn.example.test:3478' },
        { urls: ['turn:turn.example.test:3478?transport=udp', 'turns:turn.example.test:443'] },
      ],
    });
    // TURN REST API credentials for this user, valid until the room closes (end + 30 min).
    const turn = body.iceServers[1];
    const [expiry, userId] = turn.username!.split(':');
    expect(userId).toBe(doctor.id);
    const [booked] = await t.sql<{ ends_at: Date }>(`SELECT ends_at FROM sessions WHERE id = $1`, [
      sessionId,
    ]);
    expect(Number(expiry) * 1000).toBeGreaterThanOrEqual(booked.ends_at.getTime() + 30 * MINUTE);
    expect(turn.credential).toBe(
      createHmac('sha1', TURN_SECRET).update(turn.username!).digest('base64'),
    );
    const payload = verify(body.token);
    const claims = JoinTokenClaimsSchema.parse(payload);
    expect(claims).toEqual({
      sub: doctor.id,
      sid: sessionId,
      name: 'Bác sĩ Thử Nghiệm',
      role: 'requester',
      facility: { id: t.facilityIds['TTYT-H1'], name: 'Trung tâm Y tế huyện 1' },
      moderator: false,
    });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
    expect(Date.parse(body.expiresAt)).toBe(payload.exp! * 1000);
    const [c] = await t.sql<{ status: string }>(`SELECT status FROM consultations WHERE id = $1`, [
      consultationId,
    ]);
    // Issued 5 minutes before the start, nobody in the room yet: the session has not started.
    expect(c.status).toBe('scheduled');
    const [s] = await t.sql<{ status: string }>(`SELECT status FROM sessions WHERE id = $1`, [
      sessionId,
    ]);
    expect(s.status).toBe('scheduled');
  });

  it('expired and tampered tokens do not verify', async () => {
    const doctor = await specialist();
    const { sessionId } = await session(5 * MINUTE, [doctor]);
    const { body } = await t
      .http()
      .post(`/api/sessions/${sessionId}/join`)
      .set(doctor.headers)
      .expect(200);
    const payload = verify(body.token);
    expect(() => verify(body.token, { clockTimestamp: payload.exp! + 1 })).toThrow(
      jwt.TokenExpiredError,
    );
    const [h, p, sig] = body.token.split('.');
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(p, 'base64url').toString()),
        sid: sessionId.replace(/^./, (c: string) => (c === '0' ? '1' : '0')),
      }),
    ).toString('base64url');
    expect(() => verify(`${h}.${forged}.${sig}`)).toThrow(/invalid signature/);
    // Signed with another key: refused.
    const foreign = jwt.sign(payload, joinTokenKeys().privatePem, { algorithm: 'ES256' });
    expect(() => verify(foreign)).toThrow(/invalid signature/);
  });

  it('refuses the uninvited (404, or 403 for the organising coordinator) and a user invited to another session', async () => {
    const invited = await specialist();
    const { sessionId } = await session(5 * MINUTE, [invited]);
    await t
      .http()
      .post(`/api/sessions/${sessionId}/join`)
      .set(as('specialist2@central-a.demo'))
      .expect(404);
    await t
      .http()
      .post(`/api/sessions/${sessionId}/join`)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
    await t
      .http()
      .post(`/api/sessions/${sessionId}/join`)
      .set(as('coordinator@central-a.demo'))
      .expect(403);
    // Invited to A does not admit to B: the token names its session and B refuses the user.
    const other = await session(5 * MINUTE, [await specialist()]);
    const { body } = await t
      .http()
      .post(`/api/sessions/${sessionId}/join`)
      .set(invited.headers)
      .expect(200);
    expect(verify(body.token).sid).toBe(sessionId);
    await t.http().post(`/api/sessions/${other.sessionId}/join`).set(invited.headers).expect(404);
  });

  it('only from 15 minutes before the start to 30 minutes after the end; the organising coordinator may open early', async () => {
    const doctor = await specialist();
    const coordinator = await freshUser(t, ['coordinator'], 'BV-TW-A');
    const early = await session(20 * MINUTE, [doctor, coordinator]);
    const tooEarly = await t
      .http()
      .post(`/api/sessions/${early.sessionId}/join`)
      .set(doctor.headers)
      .expect(409);
    expect(Date.parse(tooEarly.body.details.opensAt)).toBeGreaterThan(Date.now());
    const opened = await t
      .http()
      .post(`/api/sessions/${early.sessionId}/join`)
      .set(coordinator.headers)
      .expect(200);
    expect(verify(opened.body.token)).toMatchObject({ moderator: true, role: 'coordinator' });
    await t.http().post(`/api/sessions/${early.sessionId}/join`).set(doctor.headers).expect(200);

    const late = await specialist();
    const ended = await session(-(60 + 31) * MINUTE, [late]); // ended 31 minutes ago
    await t.http().post(`/api/sessions/${ended.sessionId}/join`).set(late.headers).expect(409);
    const justEnded = await session(-(60 + 29) * MINUTE, [doctor]);
    await t
      .http()
      .post(`/api/sessions/${justEnded.sessionId}/join`)
      .set(doctor.headers)
      .expect(200);
  });

  it('a cancelled session admits nobody', async () => {
    const doctor = await specialist();
    const { sessionId } = await session(5 * MINUTE, [doctor]);
    await t
      .http()
      .post(`/api/sessions/${sessionId}/cancel`)
      .set(as('coordinator@central-a.demo'))
      .send({ reason: 'Bệnh nhân chuyển viện' })
      .expect(200);
    await t.http().post(`/api/sessions/${sessionId}/join`).set(doctor.headers).expect(409);
  });

  it('attendance: service token required; joins and leaves are kept once each and audited', async () => {
    const doctor = await specialist();
    const { sessionId, consultationId } = await session(3 * 60 * MINUTE, [doctor]);
    const event = { sessionId, userId: doctor.id, peerId: 'peer-1', event: 'joined', at: at(0) };
    await t.http().post('/api/internal/attendance').send(event).expect(401);
    await t
      .http()
      .post('/api/internal/attendance')
      .set(bearer('wrong-token-wrong-token-wrong'))
      .send(event)
      .expect(401);
    await t
      .http()
      .post('/api/internal/attendance')
      .set(bearer(SERVICE_TOKEN))
      .send({ ...event, at: 'yesterday' })
      .expect(400);
    await t
      .http()
      .post('/api/internal/attendance')
      .set(bearer(SERVICE_TOKEN))
      .send(event)
      .expect(204);
    await t
      .http()
      .post('/api/internal/attendance')
      .set(bearer(SERVICE_TOKEN))
      .send(event)
      .expect(204); // a retry
    await t
      .http()
      .post('/api/internal/attendance')
      .set(bearer(SERVICE_TOKEN))
      .send({ ...event, event: 'left', at: at(1000) })
      .expect(204);
    await t
      .http()
      .post('/api/internal/attendance')
      .set(bearer(SERVICE_TOKEN))
      .send({ ...event, userId: id('requester@commune-1.demo') })
      .expect(400);
    const rows = await t.sql<{ left_at: Date | null }>(
      `SELECT left_at FROM attendance WHERE session_id = $1`,
      [sessionId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].left_at).not.toBeNull();
    const audit = await t.sql<{ action: string; patient_id: string | null }>(
      `SELECT action, patient_id FROM audit_events WHERE target_id = $1 AND action LIKE 'session.%' ORDER BY id`,
      [sessionId],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['session.join', 'session.leave']),
    );
    // "who saw what": joins and leaves are found by patient (GET /audit?patientId=), one row per covered request
    const [{ patient_id: patientId }] = await t.sql<{ patient_id: string }>(
      `SELECT patient_id FROM consultations WHERE id = $1`,
      [consultationId],
    );
    expect(
      audit
        .filter((a) => a.action === 'session.join' || a.action === 'session.leave')
        .map((a) => a.patient_id),
    ).toEqual([patientId, patientId]);
    // Joined three hours before the start: a test of the link, not the session starting.
    const [s] = await t.sql<{ status: string }>(`SELECT status FROM sessions WHERE id = $1`, [
      sessionId,
    ]);
    expect(s.status).toBe('scheduled');
  });
});
