import { startTestApp, TestApp } from './support/test-app';

describe('platform: health, errors, docs, metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
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
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
  });

  it('applies the migrations (extensions and session tables exist)', async () => {
    const ext = await t.sql<{ extname: string }>(`SELECT extname FROM pg_extension ORDER BY extname`);
    expect(ext.map((e) => e.extname)).toEqual(expect.arrayContaining(['btree_gist', 'pgcrypto']));
    const tables = await t.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((x) => x.table_name)).toEqual(
      expect.arrayContaining(['sessions', 'session_consultations', 'session_participants', 'session_sites', 'attendance']),
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
    const [signed] = await t.sql<{ id: string }>(`SELECT id FROM minutes WHERE status = 'signed' LIMIT 1`);
    expect(signed).toBeDefined();
    await expect(t.sql(`UPDATE minutes SET conclusion = 'đã sửa' WHERE id = $1`, [signed.id])).rejects.toThrow(/immutable/);
    await expect(t.sql(`DELETE FROM minutes WHERE id = $1`, [signed.id])).rejects.toThrow(/immutable/);
  });
});
