import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { COLLAB_CLIENT_EVENTS as C } from '@caunoi/shared';
import { collabClient } from './collaboration-client';
import { consultationBody, draftConsultation, registerPatient } from './support/fixtures';
import { labReportPdf } from './support/files';
import { acceptedConsultations, bookSession, vietnamTime } from './sessions-fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

/** Input PostgreSQL would refuse or a race would break: always a 4xx naming the field. */
describe('bad input is a 4xx naming the field, never a 5xx', () => {
  let t: TestApp;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const admin = () => bearer(t.tokens['admin@caunoi.demo']);
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  const expectField = (
    res: { status: number; body: { details?: { path: string }[] } },
    path: string,
  ) => {
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.details?.map((d) => d.path)).toContain(path);
  };

  it.each([
    ['a NUL character', 'Ho kéo dài\u0000'],
    ['a lone surrogate', 'Ho kéo dài \ud800'],
  ])('%s in a body field → 400 naming it (summary, fullName, consent note)', async (_w, bad) => {
    const patient = await registerPatient(t);
    const c = await t
      .http()
      .post('/api/consultations')
      .set(d1())
      .send(consultationBody(t, patient.id, { summary: bad }));
    expectField(c, 'summary');
    expectField(
      await t
        .http()
        .post('/api/patients')
        .set(d1())
        .send({ fullName: bad, dateOfBirth: '1960-01-01', sex: 'male' }),
      'fullName',
    );
    expectField(
      await t
        .http()
        .post(`/api/patients/${patient.id}/consents`)
        .set(d1())
        .send({ kind: 'teleconsultation', granted: true, note: bad }),
      'note',
    );
  });

  it('a lone surrogate escaped in raw JSON is refused too', async () => {
    const res = await t
      .http()
      .post('/api/patients')
      .set(d1())
      .set('Content-Type', 'application/json')
      .send('{"fullName":"An \\ud800","dateOfBirth":"1960-01-01","sex":"male"}');
    expectField(res, 'fullName');
  });

  it.each([
    ['/api/patients?q=a%00b', 'q'],
    ['/api/facilities?province=%00', 'province'],
    ['/api/consultations?specialty=h%00', 'specialty'],
    ['/api/users?q=x%00', 'q'],
  ])('GET %s → 400 naming %s', async (url, field) => {
    const token = url.startsWith('/api/users') ? admin() : d1();
    expectField(await t.http().get(url).set(token), field);
  });

  it('a NUL in a JSON key or a path parameter is named too', async () => {
    const patient = await registerPatient(t);
    const res = await t
      .http()
      .post(`/api/patients/${patient.id}/consents`)
      .set(d1())
      .send({ kind: 'teleconsultation', granted: true, ['x\u0000']: 1 });
    expectField(res, 'x?');
    expectField(await t.http().get('/api/patients/a%00b').set(d1()), 'id');
  });

  it('PATCH /users/:id with an unknown facilityId → 400 facilityId (a foreign key, not a 500)', async () => {
    const id = t.userIds['specialist2@central-a.demo'];
    const res = await t
      .http()
      .patch(`/api/users/${id}`)
      .set(admin())
      .send({ facilityId: randomUUID() });
    expectField(res, 'facilityId');
  });

  it('creating a facility whose code exists → 409 naming code', async () => {
    const res = await t
      .http()
      .post('/api/facilities')
      .set(admin())
      .send({ code: 'BV-TW-A', name: 'Trùng mã', province: 'Hà Nội', level: 'central' });
    expect(res.status).toBe(409);
    expect(res.body.details?.[0]?.path ?? res.body.message).toMatch(/code/);
  });

  it('GET /me/calendar racing POST /me/calendar/rotate never fails, and the last URL works', async () => {
    const me = d1();
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 2
        ? t.http().get('/api/me/calendar').set(me)
        : t.http().post('/api/me/calendar/rotate').set(me),
    );
    const answers = await Promise.all(calls);
    expect(answers.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
    const { body } = await t.http().get('/api/me/calendar').set(me).expect(200);
    const path = new URL(body.url).pathname;
    const feed = await t.http().get(path).expect(200);
    expect(feed.headers['content-type']).toMatch(/text\/calendar/);
  });

  it('an unknown calendar feed is a JSON 404, not text/calendar', async () => {
    const res = await t.http().get('/api/calendar/not-a-real-token-at-all-xxxxx.ics').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('an unsatisfiable Range on attachment content is a JSON 416, not application/pdf', async () => {
    const c = await draftConsultation(t);
    const up = await t
      .http()
      .post(`/api/consultations/${c.id}/attachments`)
      .set(d1())
      .attach('file', await labReportPdf(), 'kq.pdf')
      .expect(201);
    const res = await t
      .http()
      .get(`/api/attachments/${up.body.id}/content`)
      .set(d1())
      .set('Range', 'bytes=99999999-')
      .expect(416);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.body).toMatchObject({ statusCode: 416 });
  });

  describe('collaboration events', () => {
    let sessionId: string;
    let socket: Socket;
    beforeAll(async () => {
      const [cid] = await acceptedConsultations(t, 1);
      const res = await bookSession(t, {
        consultationIds: [cid],
        participantIds: [t.userIds['specialist1@central-a.demo']],
        startsAt: vietnamTime('2027-06-07', '08:00'),
        endsAt: vietnamTime('2027-06-07', '09:00'),
      }).expect(201);
      sessionId = res.body.id;
      socket = await collabClient(t.app, t.tokens['specialist1@central-a.demo']);
      sockets.push(socket);
      const entered = await socket.timeout(5000).emitWithAck(C.enter, { sessionId });
      expect(entered.ok).toBe(true);
    });

    it('chat text with a NUL character → invalid_message naming text', async () => {
      const ack = await socket
        .timeout(5000)
        .emitWithAck(C.chatSend, { sessionId, clientId: randomUUID(), text: 'xin\u0000 chào' });
      expect(ack).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
      expect(ack.error.message).toMatch(/text/);
    });

    it('an event with extra arguments before the ack is still answered', async () => {
      const ack = await socket
        .timeout(5000)
        .emitWithAck(C.chatSend, { sessionId, clientId: randomUUID(), text: 'a' }, 'extra', 42);
      expect(ack).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
      // and the socket still works normally afterwards
      const ok = await socket
        .timeout(5000)
        .emitWithAck(C.chatSend, { sessionId, clientId: randomUUID(), text: 'vẫn chạy' });
      expect(ok).toMatchObject({ ok: true });
    });
  });
});
