import type { INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import supertest from 'supertest';
import { randomUUID } from 'node:crypto';
import {
  ChatMessage,
  COLLAB_CLIENT_EVENTS as C,
  COLLAB_SERVER_EVENTS as S,
  PresenceEntry,
  UserNotification,
} from '@caunoi/shared';
import { createApp } from '../src/bootstrap';
import { DemoEmail, startTestApp, TestApp } from './support/test-app';
import { acceptedConsultations, bookSession, vietnamTime } from './sessions-fixtures';
import { collabClient, next, request } from './collaboration-client';

const REDIS_URL = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379';

/** Fails loudly: a skipped multi-instance test would hide a broken deployment shape. */
async function requireRedis(): Promise<void> {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new Error(
      `Redis is required for this test and is not reachable at ${REDIS_URL} (${(err as Error).message}); start it or set REDIS_URL_TEST`,
    );
  } finally {
    probe.disconnect();
  }
}

describe('collaboration across two API instances sharing one Redis', () => {
  let t: TestApp;
  let second: INestApplication;
  let sessionId: string;
  const sockets: Array<{ disconnect: () => void }> = [];
  const id = (email: DemoEmail) => t.userIds[email];

  beforeAll(async () => {
    await requireRedis();
    t = await startTestApp({ REDIS_URL });
    // The second instance: same database (already migrated and seeded), its own port.
    second = await createApp();
    await second.listen(0, '127.0.0.1');
    const [cid] = await acceptedConsultations(t, 1);
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [id('specialist1@central-a.demo'), id('requester@district-1.demo')],
      startsAt: vietnamTime('2027-06-07', '08:00'),
      endsAt: vietnamTime('2027-06-07', '09:00'),
    }).expect(201);
    sessionId = res.body.id;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await second?.close();
    await t?.close();
  });

  it('a chat message sent through one instance reaches a client on the other; presence spans both', async () => {
    const ports = [t.app, second].map(
      (a) => (a.getHttpServer().address() as { port: number }).port,
    );
    expect(ports[0]).not.toBe(ports[1]);
    const onFirst = await collabClient(t.app, t.tokens['requester@district-1.demo']);
    const onSecond = await collabClient(second, t.tokens['specialist1@central-a.demo']);
    sockets.push(onFirst, onSecond);
    expect((await request(onFirst, C.enter, { sessionId })).ok).toBe(true);
    const entered = await request<{ presence: PresenceEntry[] }>(onSecond, C.enter, { sessionId });
    expect(
      entered.ok &&
        entered.data.presence
          .filter((p) => p.online)
          .map((p) => p.userId)
          .sort(),
    ).toEqual([id('requester@district-1.demo'), id('specialist1@central-a.demo')].sort());

    const heard = next<ChatMessage>(onSecond, S.chatMessage);
    const sent = await request<ChatMessage>(onFirst, C.chatSend, {
      sessionId,
      clientId: randomUUID(),
      text: 'Qua Redis',
    });
    expect(sent.ok).toBe(true);
    expect(await heard).toMatchObject({ text: 'Qua Redis', sessionId });
  });

  it('a booking made on one instance notifies an invitee connected to the other', async () => {
    const invitee = await collabClient(second, t.tokens['specialist2@central-a.demo']);
    sockets.push(invitee);
    const notified = next<UserNotification>(invitee, S.notification);
    const [cid] = await acceptedConsultations(t, 1);
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [id('specialist2@central-a.demo')],
      startsAt: vietnamTime('2027-06-08', '08:00'),
      endsAt: vietnamTime('2027-06-08', '09:00'),
    }).expect(201);
    expect(await notified).toMatchObject({ kind: 'session.invited', sessionId: res.body.id });
  });

  it('calendar feeds: a URL issued by one instance serves the booking from the other; rotating on either revokes it on both', async () => {
    const other = () => supertest(second.getHttpServer());
    const token = t.tokens['requester@district-1.demo'];
    const { body: issued } = await t
      .http()
      .get('/api/me/calendar')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const path1 = new URL(issued.url).pathname;
    const feed = await other().get(path1).expect(200);
    expect(feed.text).toContain(`UID:${sessionId}`);
    const { body: rotated } = await other()
      .post('/api/me/calendar/rotate')
      .set('Authorization', `Bearer ${token}`)
      .expect(201);
    const path2 = new URL(rotated.url).pathname;
    expect(path2).not.toBe(path1);
    await t.http().get(path1).expect(404);
    await other().get(path1).expect(404);
    expect((await t.http().get(path2).expect(200)).text).toContain(`UID:${sessionId}`);
  });
});
