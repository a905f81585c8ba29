import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { DEMO_PASSWORD, startTestApp, TestApp } from './support/test-app';

interface RawAnswer {
  status: number;
  encoding?: string;
  vary?: string;
  /** The bytes as they came over the wire (not decompressed). */
  body: Buffer;
}

/** A request without any client-side decompression, to see what the server really sends. */
function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'],
          vary: res.headers.vary,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The test app's port, and a coordinator's bearer header, for `raw` requests. */
function rawClient(t: TestApp) {
  const server = t.app.getHttpServer() as http.Server;
  return {
    port: (server.address() as AddressInfo).port,
    bearer: { authorization: `Bearer ${t.tokens['coordinator@central-a.demo']}` },
  };
}

const rawGet = (
  port: number,
  path: string,
  headers: Record<string, string>,
  accept: string | null = 'gzip, deflate',
) => raw(port, 'GET', path, accept ? { ...headers, 'accept-encoding': accept } : headers);

const rawPost = (port: number, path: string, body: object) =>
  raw(
    port,
    'POST',
    path,
    { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br' },
    JSON.stringify(body),
  );

describe('platform: health, errors, docs, metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("the app's connections run without JIT (it cost 276 ms per short query at national scale)", async () => {
    const [row] = await t.sql<{ jit: string }>('SHOW jit');
    expect(row.jit).toBe('off');
  });

  it('GET /health reports the database up', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up' });
  });

  it('an unknown route is a 404 in the common error shape', async () => {
    const res = await t.http().get('/api/no-such-thing').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(typeof res.body.message).toBe('string');
  });

  it('a protected route without a token is 401 in the common error shape', async () => {
    const res = await t.http().get('/api/me').expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('malformed JSON is a 400 and an oversized JSON body a 413, both in the common shape', async () => {
    const bad = await t
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(bad.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/JSON/),
    });
    expect(bad.body.details).toEqual([{ path: '(root)', message: expect.stringMatching(/JSON/) }]);
    const big = await t
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.demo', password: 'x'.repeat(2 * 1024 * 1024) }))
      .expect(413);
    expect(big.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('serves the OpenAPI document generated from the DTOs', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/api/auth/login'].post).toBeDefined();
    await t.http().get('/api/docs').expect(200);
  });

  it('exposes Prometheus metrics with the request histogram by route template', async () => {
    await t.http().get('/health');
    const res = await t.http().get('/metrics').expect(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/,
    );
  });

  it('compresses answers of 1 kB and more (a weak line waits for every byte), never those of the credential routes', async () => {
    const { port, bearer } = rawClient(t);
    const docs = await rawGet(port, '/api/docs-json', {});
    expect(docs.encoding).toBe('gzip');
    expect(docs.vary).toMatch(/accept-encoding/i);
    const json = JSON.parse(gunzipSync(docs.body).toString('utf8'));
    expect(json.openapi).toMatch(/^3\./);
    expect(docs.body.length * 3).toBeLessThan(JSON.stringify(json).length);
    // A signed-in list, as the room fetches it.
    const facilities = await rawGet(port, '/api/facilities', bearer);
    expect(facilities.status).toBe(200);
    expect(facilities.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(facilities.body).toString('utf8')).items.length).toBeGreaterThan(
      0,
    );
    // Without Accept-Encoding the same answer comes as it is.
    const plain = await rawGet(port, '/api/facilities', bearer, null);
    expect(plain.encoding).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8')).items.length).toBeGreaterThan(0);
    // A sign-in answer carries tokens: sent as it is, whatever the browser accepts (the rule
    // itself, for answers of any size, in compress-responses.spec.ts).
    const login = await rawPost(port, '/api/auth/login', {
      email: 'coordinator@central-a.demo',
      password: DEMO_PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.encoding).toBeUndefined();
    expect(JSON.parse(login.body.toString('utf8')).accessToken).toEqual(expect.any(String));
  });

  it('applies the migrations (extensions and session tables exist)', async () => {
    const ext = await t.sql<{ extname: string }>(
      `SELECT extname FROM pg_extension ORDER BY extname`,
    );
    expect(ext.map((e) => e.extname)).toEqual(expect.arrayContaining(['btree_gist', 'pgcrypto']));
    const tables = await t.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((x) => x.table_name)).toEqual(
      expect.arrayContaining([
        'sessions',
        'session_consultations',
        'session_participants',
        'session_sites',
        'attendance',
      ]),
    );
  });
});

describe('append-only tables, enforced by the database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('audit_events refuses UPDATE, DELETE and TRUNCATE through the app connection', async () => {
    await t.sql(`INSERT INTO audit_events (action, target_type) VALUES ('test.write', 'test')`);
    await expect(t.sql(`UPDATE audit_events SET action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
    const rows = await t.sql(`SELECT 1 FROM audit_events WHERE action = 'test.write'`);
    expect(rows.length).toBe(1);
  });

  it('signed minutes (seeded) refuse UPDATE and DELETE through the app connection', async () => {
    const [signed] = await t.sql<{ id: string }>(
      `SELECT id FROM minutes WHERE status = 'signed' LIMIT 1`,
    );
    expect(signed).toBeDefined();
    await expect(
      t.sql(`UPDATE minutes SET conclusion = 'đã sửa' WHERE id = $1`, [signed.id]),
    ).rejects.toThrow(/immutable/);
    await expect(t.sql(`DELETE FROM minutes WHERE id = $1`, [signed.id])).rejects.toThrow(
      /immutable/,
    );
  });
});

describe('demo seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates exactly the demo accounts of the README', async () => {
    const rows = await t.sql<{ email: string }>(`SELECT email FROM users ORDER BY email`);
    expect(rows.map((r) => r.email)).toEqual([
      'admin@caunoi.demo',
      'coordinator@central-a.demo',
      'coordinator@central-b.demo',
      'requester@commune-1.demo',
      'requester@district-1.demo',
      'specialist1@central-a.demo',
      'specialist2@central-a.demo',
    ]);
  });

  it('holds a request in every state of the lifecycle', async () => {
    const rows = await t.sql<{ status: string }>(
      `SELECT DISTINCT status FROM consultations ORDER BY status`,
    );
    expect(rows.map((r) => r.status)).toEqual([
      'accepted',
      'cancelled',
      'completed',
      'declined',
      'draft',
      'in_progress',
      'scheduled',
      'submitted',
    ]);
  });

  it('links district 1 and commune 1 to central A, and nothing links central B to district 1', async () => {
    const links = await t.sql<{ a: string; b: string }>(
      `SELECT fa.code AS a, fb.code AS b FROM support_links l JOIN facilities fa ON fa.id = l.supporter_id JOIN facilities fb ON fb.id = l.supported_id`,
    );
    const has = (a: string, b: string) => links.some((l) => l.a === a && l.b === b);
    expect(has('BV-TW-A', 'TTYT-H1')).toBe(true);
    expect(has('BV-TW-A', 'TYT-X1')).toBe(true);
    expect(has('TTYT-H1', 'TYT-X1')).toBe(true);
    expect(has('BV-TW-B', 'TTYT-H1')).toBe(false);
  });

  it('is idempotent: a second run on a non-empty database changes nothing', async () => {
    const { seedDemoIfEmpty } = await import('../src/database/seed/demo-seed');
    const { DataSource } = await import('typeorm');
    expect(await seedDemoIfEmpty(t.app.get(DataSource), 'another-password')).toBeNull();
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
    expect(n).toBe(7);
  });

  it('the seeded signed minutes export as PDF with the participants’ names', async () => {
    const [c] = await t.sql<{ id: string }>(
      `SELECT id FROM consultations WHERE status = 'completed'`,
    );
    const { pdfText } = await import('./support/pdf');
    const { binaryParser, bearer } = await import('./support/test-app');
    const res = await t
      .http()
      .get(`/api/consultations/${c.id}/minutes.pdf`)
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const text = pdfText(res.body as Buffer);
    expect(text).toContain('TS.BS. Lê Thị Thu Hà');
    expect(text).not.toContain('undefined');
  });
});
