import { bearer, DEMO_PASSWORD, startTestApp, TestApp } from './support/test-app';

const CSRF = { 'X-Caunoi-Csrf': '1' };

/** The refresh cookie of a response, as `name=value`, with its attributes. */
function refreshCookie(res: { headers: Record<string, unknown> }) {
  const all = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  const raw = all.find((c) => c.startsWith('caunoi_refresh='));
  if (!raw) return null;
  return { pair: raw.split(';')[0], attributes: raw.split(';').map((a) => a.trim().toLowerCase()) };
}

describe('browser sign-in: refresh cookie, security headers, API docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const login = () =>
    t
      .http()
      .post('/api/auth/login')
      .send({ email: 'specialist1@central-a.demo', password: DEMO_PASSWORD })
      .expect(200);

  it('login sets an httpOnly, SameSite=Strict cookie scoped to /api/auth, and still returns refreshToken', async () => {
    const res = await login();
    expect(res.body.refreshToken).toEqual(expect.any(String)); // non-browser clients (SPEC)
    const cookie = refreshCookie(res)!;
    expect(cookie.pair).toBe(`caunoi_refresh=${res.body.refreshToken}`);
    expect(cookie.attributes).toEqual(
      expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']),
    );
    expect(cookie.attributes).not.toContain('secure'); // plain HTTP here
    const https = await t
      .http()
      .post('/api/auth/login')
      .set('X-Forwarded-Proto', 'https') // from the trusted (loopback) proxy
      .send({ email: 'specialist1@central-a.demo', password: DEMO_PASSWORD })
      .expect(200);
    expect(refreshCookie(https)!.attributes).toContain('secure');
  });

  it('the cookie refreshes only with the CSRF header; a used cookie is refused', async () => {
    const first = refreshCookie(await login())!.pair;
    const noHeader = await t.http().post('/api/auth/refresh').set('Cookie', first).expect(401);
    expect(noHeader.body.message).toMatch(/x-caunoi-csrf/);
    const ok = await t.http().post('/api/auth/refresh').set('Cookie', first).set(CSRF).expect(200);
    const second = refreshCookie(ok)!.pair;
    expect(second).not.toBe(first);
    await t.http().get('/api/me').set(bearer(ok.body.accessToken)).expect(200);
    await t.http().post('/api/auth/refresh').set('Cookie', first).set(CSRF).expect(401);
    await t.http().post('/api/auth/refresh').set(CSRF).expect(401); // no token at all
  });

  it('logout with the cookie ends that sign-in and clears the cookie', async () => {
    const res = await login();
    const cookie = refreshCookie(res)!.pair;
    const out = await t
      .http()
      .post('/api/auth/logout')
      .set(bearer(res.body.accessToken))
      .set('Cookie', cookie)
      .set(CSRF)
      .expect(204);
    expect(
      refreshCookie(out)!.attributes.some((a) => a.startsWith('expires=thu, 01 jan 1970')),
    ).toBe(true);
    await t.http().post('/api/auth/refresh').set('Cookie', cookie).set(CSRF).expect(401);
    // the access token of the ended sign-in stops working at once
    const me = await t.http().get('/api/me').set(bearer(res.body.accessToken)).expect(401);
    expect(me.body.message).toMatch(/sign-in has ended/);
  });

  it('every answer carries a strict CSP, no framing, no referrer; HSTS only over HTTPS', async () => {
    const res = await t.http().get('/api/me').set(bearer(t.tokens['admin@caunoi.demo']));
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    const secure = await t.http().get('/health').set('X-Forwarded-Proto', 'https');
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=31536000/);
  });

  it('serves the OpenAPI docs outside production (API_DOCS unset)', async () => {
    await t.http().get('/api/docs-json').expect(200);
  });
});

describe('absolute session lifetime and API docs switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SESSION_MAX_AGE_SECONDS: '2', API_DOCS: 'false' });
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.SESSION_MAX_AGE_SECONDS;
    delete process.env.API_DOCS;
  });

  it('a sign-in cannot be refreshed past SESSION_MAX_AGE_SECONDS, however often it was refreshed', async () => {
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'requester@district-1.demo', password: DEMO_PASSWORD })
      .expect(200);
    const next = await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(200);
    await new Promise((r) => setTimeout(r, 2100));
    await t
      .http()
      .post('/api/auth/refresh')
      .send({ refreshToken: next.body.refreshToken })
      .expect(401);
  });

  it('API_DOCS=false: no /api/docs', async () => {
    await t.http().get('/api/docs-json').expect(404);
    await t.http().get('/api/docs').expect(404);
  });
});
