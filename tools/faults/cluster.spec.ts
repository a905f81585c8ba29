// Several nodes on one machine: `SFU_NODES=2 API_INSTANCES=2 npm start` sharing PostgreSQL and a
// real Redis, and one more SFU node started here (unsupervised, so its kill -9 is a lost host and
// not a restart). Sessions spread over the nodes, a drained node takes no new rooms, a conference
// moves to another node when its node dies (the time until both WebRTC peers decode video again
// is printed, not asserted), chat crosses instances, login throttling holds across instances.
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import path from 'path';
import { io, type Socket } from 'socket.io-client';
import {
  COLLAB_CLIENT_EVENTS as C,
  COLLAB_NAMESPACE,
  COLLAB_SERVER_EVENTS as S,
} from '@caunoi/shared';
import { MediaPeer } from './support/media-peer';
import { freePort, measured, root, secondsSince, Stack, until } from './support/stack';
import { bookedSession, call, join, signIn, type People } from './support/cluster-rest';

jest.setTimeout(180_000);
const REDIS_URL = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379';

describe('several API instances and SFU nodes', () => {
  let stack: Stack;
  let people: People;
  let admin: string;
  let apis: string[];
  let day = 0;
  const prefix = `caunoi-test-${randomBytes(4).toString('hex')}`;
  const extra: ChildProcess[] = [];
  const peers: MediaPeer[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await Stack.launch({
      API_INSTANCES: '2',
      SFU_NODES: '2',
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
    });
    apis = [stack.api, `http://127.0.0.1:${stack.ports.api + 1}`];
    people = {
      coordinator: await signIn(apis[0], 'coordinator@central-a.demo'),
      requester: await signIn(apis[1], 'requester@district-1.demo'),
    };
    admin = (await signIn(apis[0], 'admin@caunoi.demo')).token;
    await nodesAre(['sfu-1', 'sfu-2']);
  }, 180_000);

  afterAll(() => {
    for (const p of peers) p.close();
    for (const s of sockets) s.disconnect();
    for (const c of extra) c.kill('SIGKILL');
    stack?.cleanup();
  });

  const nodes = async () =>
    (await call(apis[0], 'GET', '/api/sfu-nodes', admin)).body.items as {
      id: string;
      url: string;
      placedSessions: number;
    }[];
  const nodesAre = (ids: string[]) =>
    until(
      async () => JSON.stringify((await nodes()).map((n) => n.id)) === JSON.stringify(ids),
      30_000,
      async () => `nodes are not ${ids}: ${JSON.stringify(await nodes().catch(() => null))}`,
    );
  const drain = async (id: string, draining: boolean) =>
    expect(
      (await call(apis[0], 'PUT', `/api/sfu-nodes/${id}/drain`, admin, { draining })).status,
    ).toBe(200);
  const nodeUrl = async (id: string) => (await nodes()).find((n) => n.id === id)!.url;

  it('sessions spread over both nodes, each session on one', async () => {
    const urls = [];
    for (let i = 0; i < 4; i++) {
      const s = await bookedSession(apis[i % 2], people, ++day);
      const first = await join(apis[i % 2], people.coordinator.token, s);
      const second = await join(apis[(i + 1) % 2], people.requester.token, s);
      expect(second.sfuUrl).toBe(first.sfuUrl);
      urls.push(first.sfuUrl);
    }
    expect(new Set(urls)).toEqual(new Set([await nodeUrl('sfu-1'), await nodeUrl('sfu-2')]));
  });

  it('a drained node takes no new rooms', async () => {
    await drain('sfu-1', true);
    try {
      const sfu2 = await nodeUrl('sfu-2');
      for (let i = 0; i < 3; i++) {
        const s = await bookedSession(apis[0], people, ++day);
        expect((await join(apis[i % 2], people.coordinator.token, s)).sfuUrl).toBe(sfu2);
      }
    } finally {
      await drain('sfu-1', false);
    }
  });

  it('a chat message sent to instance 1 reaches a client on instance 2', async () => {
    const sessionId = await bookedSession(apis[0], people, ++day);
    const connect = (base: string, token: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = io(`${base}${COLLAB_NAMESPACE}`, { auth: { token }, transports: ['websocket'] });
        sockets.push(s);
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    const onFirst = await connect(apis[0], people.coordinator.token);
    const onSecond = await connect(apis[1], people.requester.token);
    for (const s of [onFirst, onSecond])
      expect((await s.timeout(5_000).emitWithAck(C.enter, { sessionId })).ok).toBe(true);
    const text = `Chào từ phiên bản 1 (${randomUUID().slice(0, 8)})`;
    const received = new Promise<{ text: string }>((resolve) =>
      onSecond.on(S.chatMessage, (m: { text: string }) => m.text === text && resolve(m)),
    );
    const ack = await onFirst
      .timeout(5_000)
      .emitWithAck(C.chatSend, { sessionId, clientId: randomUUID(), text });
    expect(ack.ok).toBe(true);
    expect((await received).text).toBe(text);
  });

  it('login throttling holds across instances', async () => {
    const email = `ke-gian-${randomUUID().slice(0, 8)}@caunoi.demo`;
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await call(apis[i % 2], 'POST', '/api/auth/login', undefined, {
            email,
            password: 'sai-mat-khau',
          })
        ).status,
      );
    // LOGIN_MAX_ATTEMPTS (5) per account, counted in Redis whichever instance is asked.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('a conference moves to another node when its node dies (kill -9): the peers decode video again', async () => {
    // A third node, not supervised: once killed it stays dead, as a lost host.
    const port = await freePort();
    const secrets = stack.secrets;
    const lost = spawn(process.execPath, [path.join(root, 'apps/sfu/dist/main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        SFU_PORT: String(port),
        SFU_RTC_PORT: String(await freePort()),
        SFU_WORKERS: '1',
        SFU_ANNOUNCED_ADDRESS: '127.0.0.1',
        JOIN_TOKEN_PUBLIC_KEY: secrets.JOIN_TOKEN_PUBLIC_KEY,
        SFU_SERVICE_TOKEN: secrets.SFU_SERVICE_TOKEN,
        API_URL: apis[0],
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        SFU_NODE_ID: 'sfu-lost',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    extra.push(lost);
    await nodesAre(['sfu-1', 'sfu-2', 'sfu-lost']);
    // The session goes to the new node: the two others are drained while it is placed.
    await drain('sfu-1', true);
    await drain('sfu-2', true);
    const sessionId = await bookedSession(apis[0], people, ++day);
    const who = [people.coordinator, people.requester];
    let k = 0;
    const rejoin = (i: number) => () => join(apis[k++ % 2], who[i].token, sessionId);
    const first = [await rejoin(0)(), await rejoin(1)()];
    await drain('sfu-1', false);
    await drain('sfu-2', false);
    const lostUrl = `http://localhost:${port}`;
    expect(first.map((j) => j.sfuUrl)).toEqual([lostUrl, lostUrl]);
    ['Bệnh viện Trung ương', 'Trung tâm Y tế huyện'].forEach((name, i) =>
      peers.push(new MediaPeer(first[i].sfuUrl, first[i].token, name, rejoin(i))),
    );
    const receiving = (since: number, timeoutMs: number, message: string) =>
      until(
        () => peers.every((p) => p.firstFrameSinceJoinAt > since && p.lastFrameAt > since),
        timeoutMs,
        () =>
          `${message}: ${JSON.stringify(peers.map((p) => ({ url: p.url, frames: p.frames, joins: p.joins, errors: p.errors.slice(-3) })))}`,
      );
    await receiving(0, 60_000, 'the peers never received video');

    const killedAt = Date.now();
    lost.kill('SIGKILL');
    await until(
      async () => !(await nodes()).some((n) => n.id === 'sfu-lost'),
      30_000,
      'the dead node stayed in the registry',
    );
    const goneAfter = secondsSince(killedAt);
    await receiving(killedAt, 60_000, 'no video after the node died');
    const now = peers.map((p) => p.url);
    expect(now[0]).toBe(now[1]);
    expect([await nodeUrl('sfu-1'), await nodeUrl('sfu-2')]).toContain(now[0]);
    measured('cluster: SFU node kill -9 mid-conference', {
      nodeGoneFromRegistryAfterS: goneAfter,
      videoBackAfterS: peers.map((p) => secondsSince(killedAt, p.firstFrameSinceJoinAt)),
      movedTo: now[0],
    });
  });
});
