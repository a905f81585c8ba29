import type { INestApplication } from '@nestjs/common';
import type { Socket } from 'socket.io-client';
import { COLLAB_CLIENT_EVENTS as C } from '@caunoi/shared';
import { createApp } from '../src/bootstrap';
import { collabClient, request } from './collaboration-client';
import { bearer, DEMO_PASSWORD, DemoEmail, startTestApp, TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379';

/** Resolves with the disconnect reason, or 'still connected' after `ms`. */
const disconnected = (s: Socket, ms = 5000) =>
  new Promise<string>((resolve) => {
    if (!s.connected) return resolve('not connected');
    const timer = setTimeout(() => resolve('still connected'), ms);
    s.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });

describe('collaboration sockets follow the sign-in (two API instances, one Redis)', () => {
  let t: TestApp;
  let second: INestApplication;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL });
    second = await createApp();
    await second.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await second?.close();
    await t?.close();
    delete process.env.REDIS_URL;
  });

  const signIn = async (email: DemoEmail) =>
    (await t.http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200))
      .body as { accessToken: string; refreshToken: string };
  const connect = async (app: INestApplication, token: string) => {
    const s = await collabClient(app, token);
    sockets.push(s);
    return s;
  };

  it('logout disconnects the sockets of that sign-in on every instance, and its token cannot reconnect', async () => {
    const a = await signIn('specialist1@central-a.demo');
    const other = await signIn('specialist1@central-a.demo');
    const here = await connect(t.app, a.accessToken);
    const there = await connect(second, a.accessToken);
    const otherSignIn = await connect(second, other.accessToken);
    const gone = [disconnected(here), disconnected(there)];
    await t.http().post('/api/auth/logout').set(bearer(a.accessToken)).expect(204);
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(await disconnected(otherSignIn, 300)).toBe('still connected');
    await expect(connect(t.app, a.accessToken)).rejects.toThrow(/sign-in has ended/);
  });

  it('disabling a user disconnects all of their sockets at once', async () => {
    const r = await signIn('requester@commune-1.demo');
    const s1 = await connect(t.app, r.accessToken);
    const s2 = await connect(second, r.accessToken);
    const gone = [disconnected(s1), disconnected(s2)];
    await t
      .http()
      .patch(`/api/users/${t.userIds['requester@commune-1.demo']}`)
      .set(bearer(t.tokens['admin@caunoi.demo']))
      .send({ active: false })
      .expect(200);
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    await expect(connect(t.app, r.accessToken)).rejects.toThrow(/disabled/);
  });
});

describe('a socket lasts as long as its access token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '2' });
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.ACCESS_TOKEN_TTL_SECONDS;
  });

  it('is dropped when the token expires unless the client sends the next one (auth:refresh)', async () => {
    const login = async () =>
      (
        await t
          .http()
          .post('/api/auth/login')
          .send({ email: 'specialist2@central-a.demo', password: DEMO_PASSWORD })
          .expect(200)
      ).body;
    const a = await login();
    const b = await login();
    const stale = await collabClient(t.app, a.accessToken);
    const kept = await collabClient(t.app, b.accessToken);
    try {
      const bad = await request(kept, C.reauth, { token: t.tokens['admin@caunoi.demo'] });
      expect(bad).toMatchObject({ ok: false });
      const next = await t
        .http()
        .post('/api/auth/refresh')
        .send({ refreshToken: b.refreshToken })
        .expect(200);
      const ack = await request<{ expiresInSeconds: number }>(kept, C.reauth, {
        token: next.body.accessToken,
      });
      expect(ack).toMatchObject({ ok: true });
      expect(await disconnected(stale, 6000)).toBe('io server disconnect');
      expect(kept.connected).toBe(true);
    } finally {
      stale.disconnect();
      kept.disconnect();
    }
  });
});
