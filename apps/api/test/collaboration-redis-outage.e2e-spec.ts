import type { INestApplication } from '@nestjs/common';
import { spawn, ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import {
  ChatMessage,
  COLLAB_CLIENT_EVENTS as C,
  COLLAB_SERVER_EVENTS as S,
  PresenceEntry,
} from '@caunoi/shared';
import { createApp } from '../src/bootstrap';
import { DemoEmail, startTestApp, TestApp } from './support/test-app';
import { acceptedConsultations, bookSession, vietnamTime } from './sessions-fixtures';
import { collabClient, next, request } from './collaboration-client';
import { freePort } from '@caunoi/test-support';

/**
 * Redis is a convenience for several API instances, not a dependency of one: while it is down,
 * each instance keeps serving the people connected to it (chat, presence, the shared view), no
 * promise of the socket.io adapter goes unhandled, and when Redis is back messages cross the
 * instances again. The test runs its own redis-server so it can kill it.
 */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => resolve(c.end() && true));
      c.on('error', () => resolve(false));
    });
    if (up) return proc;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

/** Retries an assertion until it holds (the adapter resubscribes with backoff). */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe('collaboration while the shared Redis is down', () => {
  let t: TestApp;
  let second: INestApplication;
  let redis: ChildProcess;
  let redisPort: number;
  let sessionId: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const sockets: Array<{ disconnect: () => void }> = [];
  const id = (email: DemoEmail) => t.userIds[email];
  const chat = (from: Parameters<typeof request>[0], text: string) =>
    request<ChatMessage>(from, C.chatSend, { sessionId, clientId: randomUUID(), text });

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    redisPort = await freePort();
    redis = await startRedis(redisPort);
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    second = await createApp();
    await second.listen(0, '127.0.0.1');
    const [cid] = await acceptedConsultations(t, 1);
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [
        id('specialist1@central-a.demo'),
        id('specialist2@central-a.demo'),
        id('requester@district-1.demo'),
      ],
      startsAt: vietnamTime('2027-06-09', '08:00'),
      endsAt: vietnamTime('2027-06-09', '09:00'),
    }).expect(201);
    sessionId = res.body.id;
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    for (const s of sockets) s.disconnect();
    await second?.close();
    await t?.close();
    if (redis) await stop(redis);
  });

  it('an instance keeps serving its own clients while Redis is down, and crosses again when it is back', async () => {
    const a = await collabClient(t.app, t.tokens['requester@district-1.demo']);
    const b = await collabClient(t.app, t.tokens['specialist1@central-a.demo']);
    const remote = await collabClient(second, t.tokens['specialist2@central-a.demo']);
    sockets.push(a, b, remote);
    for (const s of [a, b, remote])
      expect((await request(s, C.enter, { sessionId })).ok).toBe(true);
    // Healthy: a message crosses to the other instance.
    const crossed = next<ChatMessage>(remote, S.chatMessage, (m) => m.text === 'trước sự cố');
    expect((await chat(a, 'trước sự cố')).ok).toBe(true);
    await crossed;

    await stop(redis);
    // Down: the same instance's clients still talk; the ack is a real answer, not a timeout.
    const heard = next<ChatMessage>(b, S.chatMessage, (m) => m.text === 'khi Redis mất');
    const sent = await chat(a, 'khi Redis mất');
    expect(sent.ok).toBe(true);
    expect(await heard).toMatchObject({ text: 'khi Redis mất', sessionId });
    // Presence is answered from what this instance knows.
    const entered = await request<{ presence: PresenceEntry[] }>(b, C.enter, { sessionId });
    expect(entered.ok).toBe(true);
    expect(
      entered.ok && entered.data.presence.filter((p) => p.online).map((p) => p.userId),
    ).toEqual(expect.arrayContaining([id('requester@district-1.demo')]));

    // Back: messages cross the instances again once the adapter has resubscribed.
    redis = await startRedis(redisPort);
    await eventually(async () => {
      const again = next<ChatMessage>(remote, S.chatMessage, (m) => m.text === 'sau sự cố', 1500);
      expect((await chat(a, 'sau sự cố')).ok).toBe(true);
      await again;
    });
    expect(unhandled).toEqual([]);
  }, 60_000);
});
