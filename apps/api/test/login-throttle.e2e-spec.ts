import { DEMO_PASSWORD, startTestApp, TestApp } from './support/test-app';

const login = (t: TestApp, email: string, password: string, from?: string) => {
  const req = t.http().post('/api/auth/login');
  if (from) req.set('X-Forwarded-For', from);
  return req.send({ email, password });
};

describe('login throttle (counted before the password check)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_ATTEMPTS: '3', LOGIN_WINDOW_SECONDS: '60' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const failures = (userId: string) =>
    t.sql<{ address: string; details: Record<string, unknown> }>(
      `SELECT address, details FROM audit_events WHERE action = 'auth.login_failed' AND target_id = $1`,
      [userId],
    );

  it('50 parallel wrong passwords: at most LOGIN_MAX_ATTEMPTS reach the password check, the rest are 429', async () => {
    const email = 'specialist2@central-a.demo';
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        login(t, email, `wrong-password-${i}`, `10.20.0.${i + 1}`),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(47);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // every attempt that reached bcrypt is audited; no more than the limit did
    const rows = await failures(t.userIds[email]);
    expect(rows.length).toBe(statuses.filter((s) => s === 401).length);
    // the right password is refused too while the account is locked
    await login(t, email, DEMO_PASSWORD, '10.30.0.1').expect(429);
  });

  it('the account counter spans addresses; failed logins are audited with the address and no password', async () => {
    const email = 'requester@commune-1.demo';
    for (const from of ['10.0.0.1', '10.0.0.2', '10.0.0.3'])
      await login(t, email, 'Sai-mat-khau-123', from).expect(401);
    const res = await login(t, email, 'Sai-mat-khau-123', '10.0.0.4').expect(429);
    expect(res.body.details.retryAfterSeconds).toBeGreaterThan(0);
    const rows = await failures(t.userIds[email]);
    expect(rows.map((r) => r.address).sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(JSON.stringify(rows)).not.toContain('Sai-mat-khau');
    expect(rows[0].details).toEqual({ reason: 'wrong_password' });
  });

  it('a successful sign-in resets the account and does not use up the address', async () => {
    const email = 'coordinator@central-b.demo';
    await login(t, email, 'wrong-password', '10.9.9.9').expect(401);
    await login(t, email, 'wrong-password', '10.9.9.9').expect(401);
    await login(t, email, DEMO_PASSWORD, '10.9.9.9').expect(200);
    // 3 more failures are allowed again after the reset
    for (let i = 0; i < 3; i++) await login(t, email, 'wrong-password', '10.9.9.9').expect(401);
    await login(t, email, 'wrong-password', '10.9.9.9').expect(429);
  });

  it('an unknown account is counted and audited like a known one', async () => {
    await login(t, 'nobody@nowhere.demo', 'wrong-password', '10.7.7.7').expect(401);
    const [row] = await t.sql<{ address: string; details: unknown }>(
      `SELECT address, details FROM audit_events WHERE action = 'auth.login_failed' AND target_id IS NULL`,
    );
    expect(row).toEqual({ address: '10.7.7.7', details: { reason: 'unknown_account' } });
  });
});

describe('login throttle: exponential backoff', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_ATTEMPTS: '2', LOGIN_WINDOW_SECONDS: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('each lockout of an account doubles the wait', async () => {
    const email = 'requester@district-1.demo';
    await login(t, email, 'wrong-password').expect(401);
    await login(t, email, 'wrong-password').expect(401);
    const first = await login(t, email, 'wrong-password').expect(429);
    expect(first.body.details.retryAfterSeconds).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    await login(t, email, 'wrong-password').expect(401);
    await login(t, email, 'wrong-password').expect(401);
    const second = await login(t, email, 'wrong-password').expect(429);
    expect(second.body.details.retryAfterSeconds).toBe(2);
  });
});

describe('trust proxy: only the configured proxy may name the client', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The tests reach the API from 127.0.0.1, which is not the configured proxy here.
    t = await startTestApp({ TRUST_PROXY: '10.1.2.3', LOGIN_MAX_ATTEMPTS: '50' });
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.TRUST_PROXY;
  });

  it('ignores X-Forwarded-For from anyone else (a client cannot pick its own address)', async () => {
    await login(t, 'admin@caunoi.demo', 'wrong-password', '192.168.1.77').expect(401);
    const [row] = await t.sql<{ address: string }>(
      `SELECT address FROM audit_events WHERE action = 'auth.login_failed'`,
    );
    expect(row.address).toMatch(/127\.0\.0\.1$/);
  });
});
