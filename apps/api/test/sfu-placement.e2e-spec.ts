import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  JoinResponseSchema,
  SFU_HEARTBEAT_TTL_MS,
  sfuNodeKey,
  SfuNodeListSchema,
  type SfuNodeAnnouncement,
} from '@caunoi/shared';
import { bearer, startTestApp, TestApp } from './support/test-app';
import { acceptedConsultations, bookSession, joinTokenKeys } from './sessions-fixtures';

const REDIS_URL = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379';

/**
 * Placement of sessions on SFU nodes, with the nodes announcing themselves in a real Redis the
 * way an SFU process does (a key per node with a TTL) and a real PostgreSQL holding placements.
 * The SFU processes themselves, their death and the clients' failover: tools/faults/cluster.spec.ts.
 */
describe('SFU nodes: placement of sessions', () => {
  let t: TestApp;
  let redis: Redis;
  const prefix = `caunoi-test-${randomBytes(4).toString('hex')}`;
  const coordinator = () => bearer(t.tokens['coordinator@central-a.demo']);
  const admin = () => bearer(t.tokens['admin@caunoi.demo']);
  let day = 0;

  /** What an SFU node writes on each heartbeat. */
  const announce = (id: string, over: Partial<SfuNodeAnnouncement> = {}, ttl = 60_000) => {
    const now = new Date().toISOString();
    const a: SfuNodeAnnouncement = {
      id,
      url: `https://${id}.sfu.example.test`,
      internalUrl: `http://${id}.internal:4000`,
      region: null,
      workers: 2,
      maxRooms: 50,
      rooms: 0,
      peers: 0,
      consumers: 0,
      cpu: 0.1,
      draining: false,
      startedAt: now,
      at: now,
      ...over,
    };
    return redis.set(sfuNodeKey(prefix, id), JSON.stringify(a), 'PX', ttl);
  };
  const gone = (id: string) => redis.del(sfuNodeKey(prefix, id));
  const clear = async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  };

  /** A session of central A (its coordinator takes part, so may open the room early). */
  async function session(): Promise<string> {
    const [cid] = await acceptedConsultations(t, 1);
    const startsAt = Date.parse('2028-03-01T01:00:00Z') + ++day * 86_400_000;
    const res = await bookSession(t, {
      consultationIds: [cid],
      participantIds: [
        t.userIds['coordinator@central-a.demo'],
        t.userIds['requester@district-1.demo'],
      ],
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 3_600_000).toISOString(),
    }).expect(201);
    return res.body.id;
  }
  const join = async (sessionId: string, who = coordinator()) => {
    const res = await t.http().post(`/api/sessions/${sessionId}/join`).set(who);
    return {
      status: res.status,
      body: res.status === 200 ? JoinResponseSchema.parse(res.body) : res.body,
    };
  };
  const urlOf = async (sessionId: string) => {
    const j = await join(sessionId);
    expect(j.status).toBe(200);
    return j.body.sfuUrl as string;
  };

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping(); // fails loudly: this suite needs Redis (REDIS_URL_TEST)
    t = await startTestApp({
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      JOIN_TOKEN_PRIVATE_KEY: joinTokenKeys().privatePem,
      SFU_PUBLIC_URL: 'https://single.sfu.example.test',
    });
  });
  afterEach(clear);
  afterAll(async () => {
    await clear().catch(() => {});
    redis?.disconnect();
    await t?.close();
  });

  it('without any node announced, every session goes to the one configured SFU', async () => {
    expect(await urlOf(await session())).toBe('https://single.sfu.example.test');
  });

  it('sessions spread over the live nodes, and every join of a session gets the same node', async () => {
    await announce('n1');
    await announce('n2');
    const sessions = [await session(), await session(), await session(), await session()];
    const urls = [];
    for (const s of sessions) urls.push(await urlOf(s));
    expect(urls.filter((u) => u.includes('n1')).length).toBe(2);
    expect(urls.filter((u) => u.includes('n2')).length).toBe(2);
    // Another participant, and the coordinator again: the node stays.
    const requester = bearer(t.tokens['requester@district-1.demo']);
    const again = await join(sessions[0], requester);
    expect(again.status).toBe(200);
    expect(again.body.sfuUrl).toBe(urls[0]);
    expect(await urlOf(sessions[0])).toBe(urls[0]);
    const [row] = await t.sql<{ node_id: string }>(
      `SELECT node_id FROM session_placements WHERE session_id = $1`,
      [sessions[0]],
    );
    expect(urls[0]).toContain(row.node_id);
  });

  it('prefers a node in the region of the facility the case was sent to while it has room', async () => {
    // The administrator's REST route, as an operator would set it.
    const centralA = `/api/facilities/${t.facilityIds['BV-TW-A']}`;
    await t.http().patch(centralA).set(admin()).send({ region: 'south' }).expect(200);
    try {
      await announce('hanoi', { region: 'north' });
      await announce('saigon', { region: 'south', rooms: 3, maxRooms: 5, cpu: 0.9 });
      expect(await urlOf(await session())).toContain('saigon');
      expect(await urlOf(await session())).toContain('saigon'); // 4 of 5: still room
      // Full (rooms reported by its heartbeat): the least loaded node elsewhere.
      await announce('saigon', { region: 'south', rooms: 5, maxRooms: 5 });
      expect(await urlOf(await session())).toContain('hanoi');
    } finally {
      await t.http().patch(centralA).set(admin()).send({ region: null }).expect(200);
    }
  });

  it('a drained node takes no new rooms but keeps the sessions it holds', async () => {
    await announce('n1');
    const held = await session();
    expect(await urlOf(held)).toContain('n1');
    await announce('n2');
    const drain = await t
      .http()
      .put('/api/sfu-nodes/n1/drain')
      .set(admin())
      .send({ draining: true })
      .expect(200);
    expect(drain.body).toEqual({ id: 'n1', draining: true });
    for (let i = 0; i < 3; i++) expect(await urlOf(await session())).toContain('n2');
    expect(await urlOf(held)).toContain('n1');
    const list = SfuNodeListSchema.parse(
      (await t.http().get('/api/sfu-nodes').set(admin()).expect(200)).body,
    );
    expect(list.items.map((n) => [n.id, n.draining, n.drainedByAdmin])).toEqual([
      ['n1', true, true],
      ['n2', false, false],
    ]);
    // A node draining itself (SIGUSR2) is treated alike; with every node drained: 503, coded.
    await announce('n2', { draining: true });
    const refused = await join(await session());
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('sfu_unavailable');
    const audit = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'sfu_node.drain' AND target_id = 'n1'`,
    );
    expect(audit).toHaveLength(1);
    await t
      .http()
      .put('/api/sfu-nodes/n1/drain')
      .set(admin())
      .send({ draining: false })
      .expect(200);
    expect(await urlOf(await session())).toContain('n1');
  });

  it('a node that stops beating loses its sessions: the next join moves them to a live node', async () => {
    await announce('doomed', {}, SFU_HEARTBEAT_TTL_MS);
    const s = await session();
    expect(await urlOf(s)).toContain('doomed');
    await announce('survivor');
    await gone('doomed'); // its key expired: what a kill -9 leads to within the TTL
    expect(await urlOf(s)).toContain('survivor');
    const [row] = await t.sql<{ node_id: string; moves: number }>(
      `SELECT node_id, moves FROM session_placements WHERE session_id = $1`,
      [s],
    );
    expect(row).toEqual({ node_id: 'survivor', moves: 1 });
  });

  it('only admins see or drain nodes; a bad node id or body is a 400 naming the field', async () => {
    await t.http().get('/api/sfu-nodes').set(coordinator()).expect(403);
    await t
      .http()
      .put('/api/sfu-nodes/n1/drain')
      .set(coordinator())
      .send({ draining: true })
      .expect(403);
    const badBody = await t
      .http()
      .put('/api/sfu-nodes/n1/drain')
      .set(admin())
      .send({ draining: 'yes' })
      .expect(400);
    expect(badBody.body.details[0].path).toBe('draining');
    const badId = await t
      .http()
      .put('/api/sfu-nodes/a%20b/drain')
      .set(admin())
      .send({ draining: true })
      .expect(400);
    expect(badId.body.details[0].path).toBe('id');
    await t
      .http()
      .put('/api/sfu-nodes/absent/drain')
      .set(admin())
      .send({ draining: true })
      .expect(404);
  });
});
