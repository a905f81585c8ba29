import { bearer, DEMO_PASSWORD, startTestApp, TestApp } from './support/test-app';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_ATTEMPTS: '3' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs a demo account in and GET /me returns it', async () => {
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'requester@district-1.demo', password: DEMO_PASSWORD })
      .expect(200);
    expect(login.body.user).toMatchObject({
      email: 'requester@district-1.demo',
      roles: ['requester'],
    });
    expect(login.body.refreshToken).toEqual(expect.any(String));
    const me = await t.http().get('/api/me').set(bearer(login.body.accessToken)).expect(200);
    expect(me.body).toMatchObject({ id: login.body.user.id, facilityId: t.facilityIds['TTYT-H1'] });
    expect(me.body.passwordHash).toBeUndefined();
  });

  it('refuses a wrong password with 401 and never says which part was wrong', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'admin@caunoi.demo', password: 'nope-nope' })
      .expect(401);
    expect(res.body.message).toBe('E-mail or password is incorrect');
  });

  it('names the invalid fields of a login body', async () => {
    const res = await t.http().post('/api/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect(res.body.message).toContain('email');
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'email',
      'password',
    ]);
  });

  it('rotates refresh tokens: the old one stops working', async () => {
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'specialist1@central-a.demo', password: DEMO_PASSWORD });
    const first = login.body.refreshToken;
    const next = await t.http().post('/api/auth/refresh').send({ refreshToken: first }).expect(200);
    expect(next.body.refreshToken).not.toBe(first);
    await t.http().get('/api/me').set(bearer(next.body.accessToken)).expect(200);
  });

  it('reusing a refresh token revokes the whole family', async () => {
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'specialist2@central-a.demo', password: DEMO_PASSWORD });
    const first = login.body.refreshToken;
    const second = (
      await t.http().post('/api/auth/refresh').send({ refreshToken: first }).expect(200)
    ).body.refreshToken;
    const reuse = await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: first })
      .expect(401);
    expect(reuse.body.message).toMatch(/already used/);
    // the legitimate successor is dead too: the family is revoked
    await t.http().post('/api/auth/refresh').send({ refreshToken: second }).expect(401);
    const audit = await t.sql(`SELECT 1 FROM audit_events WHERE action = 'auth.refresh_reuse'`);
    expect(audit.length).toBe(1);
  });

  it('logout revokes the refresh token', async () => {
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'coordinator@central-b.demo', password: DEMO_PASSWORD });
    await t
      .http()
      .post('/api/auth/logout')
      .set(bearer(login.body.accessToken))
      .send({ refreshToken: login.body.refreshToken })
      .expect(204);
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(401);
  });

  it('logout needs no body: SPEC documents `POST /auth/logout` with the bearer token alone', async () => {
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'coordinator@central-b.demo', password: DEMO_PASSWORD });
    await t.http().post('/api/auth/logout').set(bearer(login.body.accessToken)).expect(204);
  });

  it('rate-limits failed logins per account and address with 429', async () => {
    const email = 'requester@commune-1.demo';
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/api/auth/login')
        .send({ email, password: 'wrong-password' })
        .expect(401);
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ email, password: DEMO_PASSWORD })
      .expect(429);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // another account from the same address is not locked out
    await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'admin@caunoi.demo', password: DEMO_PASSWORD })
      .expect(200);
  });

  it('refuses a forged access token', async () => {
    const [h, p] = t.tokens['admin@caunoi.demo'].split('.');
    await t
      .http()
      .get('/api/me')
      .set(bearer(`${h}.${p}.AAAA`))
      .expect(401);
  });
});

// With Redis the counters are shared by API replicas. The project's machines and CI run one at
// 127.0.0.1:6379 (REDIS_URL_TEST overrides); without it this suite fails, like the collaboration one.
const redisUrl = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379';
describe('login throttle in Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_ATTEMPTS: '2', REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.REDIS_URL;
  });

  it('counts failures in Redis and answers 429 at the limit', async () => {
    // a unique account name per run keeps counters of earlier runs out of the way
    const email = `nobody-${Date.now()}@caunoi.demo`;
    await t.http().post('/api/auth/login').send({ email, password: 'wrong-password' }).expect(401);
    await t.http().post('/api/auth/login').send({ email, password: 'wrong-password' }).expect(401);
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ email, password: 'wrong-password' })
      .expect(429);
    expect(res.body.details.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('token lifetimes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ACCESS_TOKEN_TTL_SECONDS: '1', REFRESH_TOKEN_TTL_SECONDS: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an expired access token is 401 and an expired refresh token cannot be used', async () => {
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'admin@caunoi.demo', password: DEMO_PASSWORD })
      .expect(200);
    await new Promise((r) => setTimeout(r, 2100));
    const me = await t.http().get('/api/me').set(bearer(login.body.accessToken)).expect(401);
    expect(me.body.message).toMatch(/expired/);
    const refresh = await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(401);
    expect(refresh.body.message).toMatch(/expired/);
  });
});
