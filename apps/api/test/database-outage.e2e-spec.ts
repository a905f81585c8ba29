import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { COLLAB_CLIENT_EVENTS as C } from '@caunoi/shared';
import { collabClient } from './collaboration-client';
import { acceptedConsultations, bookSession, vietnamTime } from './sessions-fixtures';
import { PgServer, startPgServer } from './support/pg-server';
import { bearer, startTestApp, TestApp } from './support/test-app';

const UNAVAILABLE = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'The database is unavailable; retry shortly',
  code: 'database_unavailable',
};

/**
 * PostgreSQL stopped under a running API and started again: 503 with Retry-After while it is
 * down (REST, readiness, sockets), service again when it is back without restarting the API, and
 * creates retried with their Idempotency-Key are neither lost nor duplicated.
 */
describe('database outage', () => {
  let pg: PgServer;
  let t: TestApp;
  let socket: Socket;
  let sessionId: string;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);

  beforeAll(async () => {
    pg = await startPgServer();
    t = await startTestApp({}, { server: pg.url });
    const [cid] = await acceptedConsultations(t, 1);
    const booked = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [t.userIds['requester@district-1.demo']],
      startsAt: vietnamTime('2027-07-05', '08:00'),
      endsAt: vietnamTime('2027-07-05', '09:00'),
    }).expect(201);
    sessionId = booked.body.id;
    socket = await collabClient(t.app, t.tokens['requester@district-1.demo']);
    expect((await socket.timeout(5000).emitWithAck(C.enter, { sessionId })).ok).toBe(true);
  }, 120_000);
  afterAll(async () => {
    socket?.disconnect();
    await pg?.start().catch(() => {}); // in case a test failed while it was down
    await t?.close();
    await pg?.close();
  });

  const patient = (fullName: string) => ({ fullName, dateOfBirth: '1961-03-04', sex: 'female' });
  const createPatient = (fullName: string, key: string) =>
    t.http().post('/api/patients').set(d1()).set('Idempotency-Key', key).send(patient(fullName));
  const countNamed = async (fullName: string) =>
    (
      await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM patients WHERE full_name = $1`, [
        fullName,
      ])
    )[0].n;

  it('an Idempotency-Key replays the first answer and never creates twice', async () => {
    const key = randomUUID();
    const first = await createPatient('Lê Thị Một Lần', key).expect(201);
    const again = await createPatient('Lê Thị Một Lần', key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await countNamed('Lê Thị Một Lần')).toBe(1);
    const other = await createPatient('Tên Khác', key).expect(409);
    expect(other.body.details[0].path).toBe('Idempotency-Key');
    // concurrent copies of one request: one create, the same answer for all
    const key2 = randomUUID();
    const copies = await Promise.all(
      Array.from({ length: 5 }, () => createPatient('Đồng Thời', key2)),
    );
    expect(copies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(copies.map((r) => r.body.id)).size).toBe(1);
    expect(await countNamed('Đồng Thời')).toBe(1);
  });

  it('while PostgreSQL is down: 503 with Retry-After everywhere, liveness up, readiness down', async () => {
    await pg.stop();
    const live = await t.http().get('/health').expect(200);
    expect(live.body).toEqual({ status: 'ok', db: 'down' });
    const ready = await t.http().get('/health/ready').expect(503);
    expect(ready.body).toEqual(UNAVAILABLE);
    expect(Number(ready.headers['retry-after'])).toBeGreaterThan(0);

    const calls = [
      t.http().get('/api/patients').set(d1()),
      t.http().get('/api/consultations').set(d1()),
      t.http().get('/api/me').set(d1()),
      t.http().post('/api/patients').set(d1()).send(patient('Trong Lúc Mất')),
      t.http().post('/api/auth/login').send({ email: 'a@b.vn', password: 'whatever-123' }),
      t.http().get(`/api/sessions/${sessionId}`).set(d1()),
    ];
    for (const res of await Promise.all(calls)) {
      expect({ status: res.status, body: res.body }).toEqual({ status: 503, body: UNAVAILABLE });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }

    const ack = await socket
      .timeout(10_000)
      .emitWithAck(C.chatSend, { sessionId, clientId: randomUUID(), text: 'mất mạng?' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await expect(collabClient(t.app, t.tokens['requester@district-1.demo'])).rejects.toThrow(
      /unavailable/,
    );
  });

  it('when it is back the same API serves again, and retried writes land exactly once', async () => {
    await pg.start();
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      ready = (await t.http().get('/health/ready')).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    expect((await t.http().get('/health').expect(200)).body).toEqual({ status: 'ok', db: 'up' });
    await t.http().get('/api/patients').set(d1()).expect(200);
    const clientId = randomUUID();
    const send = () =>
      socket.timeout(10_000).emitWithAck(C.chatSend, { sessionId, clientId, text: 'đã có lại' });
    expect(await send()).toMatchObject({ ok: true });
    expect(await send()).toMatchObject({ ok: true });
    const [{ n }] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM chat_messages WHERE client_id = $1`,
      [clientId],
    );
    expect(n).toBe(1);
  });

  it('creates in flight when PostgreSQL stops: every acknowledged one kept, retries never duplicate', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `Bệnh Nhân Gián Đoạn ${i}`);
    const keys = names.map(() => randomUUID());
    const acknowledged = new Map<string, string>(); // name → id of a 201
    const attempt = async (i: number) => {
      const res = await createPatient(names[i], keys[i]).catch(() => null);
      if (res?.status === 201) acknowledged.set(names[i], res.body.id);
      else if (res) expect([503]).toContain(res.status);
    };
    const burst = Promise.all(
      names.map((_, i) => new Promise((r) => setTimeout(r, i * 5)).then(() => attempt(i))),
    );
    await new Promise((r) => setTimeout(r, 60));
    await pg.stop();
    await burst;
    const cutShort = names.length - acknowledged.size;
    await pg.start();
    // A client retries whatever was not acknowledged, with the same key, until it is.
    for (let round = 0; round < 100 && acknowledged.size < names.length; round++) {
      for (let i = 0; i < names.length; i++) if (!acknowledged.has(names[i])) await attempt(i);
      if (acknowledged.size < names.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(cutShort).toBeGreaterThan(0); // the outage did hit requests in flight
    expect(acknowledged.size).toBe(names.length);
    for (const [name, id] of acknowledged) {
      const rows = await t.sql<{ id: string }>(`SELECT id FROM patients WHERE full_name = $1`, [
        name,
      ]);
      expect(rows).toEqual([{ id }]);
    }
  });
});
