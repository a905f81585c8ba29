import {
  buildUrl,
  fetchBlob,
  getAuth,
  request,
  secondsUntilExpiry,
  setAuth,
  ApiRequestError,
} from './client';

function jwt(expSecondsFromNow: number): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256' })}.${b64({ exp: Math.floor(Date.now() / 1000) + expSecondsFromNow })}.sig`;
}

const user = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  email: 'a@b.c',
  fullName: 'A',
  roles: ['requester' as const],
  facilityId: null,
};

function response(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('API client', () => {
  afterEach(() => {
    setAuth(null);
    jest.restoreAllMocks();
  });

  it('builds URLs under /api with list parameters', () => {
    expect(buildUrl('/patients', { q: 'Lan', empty: '', none: undefined })).toBe(
      '/api/patients?q=Lan',
    );
    expect(buildUrl('/scheduling/suggestions', { userIds: ['a', 'b'], durationMinutes: 30 })).toBe(
      '/api/scheduling/suggestions?userIds=a%2Cb&durationMinutes=30',
    );
  });

  it('reads JWT expiry', () => {
    expect(Math.round(secondsUntilExpiry(jwt(120))!)).toBeGreaterThan(100);
    expect(secondsUntilExpiry('not-a-jwt')).toBeNull();
  });

  it('refreshes silently once on 401 through the cookie and keeps the tokens out of storage', async () => {
    const stored = new Map<string, string>();
    Object.assign(globalThis, {
      localStorage: {
        getItem: (k: string) => stored.get(k) ?? null,
        setItem: (k: string, v: string) => stored.set(k, v),
        removeItem: (k: string) => stored.delete(k),
      },
    });
    setAuth({ accessToken: jwt(600), user });
    const fresh = jwt(900);
    const calls: Array<{ url: string; auth?: string; init?: RequestInit }> = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = String(input);
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({ url, auth: headers.authorization, init });
      if (url === '/api/auth/refresh')
        return response(200, { accessToken: fresh, refreshToken: 's'.repeat(20), user });
      if (headers.authorization === `Bearer ${fresh}`) return response(200, { ok: true });
      return response(401, { statusCode: 401, error: 'Unauthorized', message: 'jwt expired' });
    });
    await expect(request('/me')).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.url)).toEqual(['/api/me', '/api/auth/refresh', '/api/me']);
    const refresh = calls[1].init!;
    // the httpOnly cookie carries the refresh token; the page only adds the CSRF header
    expect(refresh.credentials).toBe('same-origin');
    expect((refresh.headers as Record<string, string>)['x-caunoi-csrf']).toBe('1');
    expect(refresh.body).toBe('{}');
    expect(getAuth()?.accessToken).toBe(fresh);
    expect(getAuth()).not.toHaveProperty('refreshToken');
    expect(stored.size).toBe(0); // nothing written to localStorage
  });

  it('signs out when the refresh token is refused, and turns errors into values', async () => {
    setAuth({ accessToken: jwt(600), user });
    jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () =>
        response(401, { statusCode: 401, error: 'Unauthorized', message: 'nope' }),
      );
    const err = await request('/me').catch((e) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err.status).toBe(401);
    expect(getAuth()).toBeNull();
  });

  it('keeps validation details from a 400', async () => {
    jest.spyOn(globalThis, 'fetch').mockImplementation(async () =>
      response(400, {
        statusCode: 400,
        error: 'Bad Request',
        message: 'invalid',
        details: { fullName: 'too short' },
      }),
    );
    const err = (await request('/patients', { method: 'POST', body: {} }).catch(
      (e) => e,
    )) as ApiRequestError;
    expect(err.status).toBe(400);
    expect(err.details).toEqual({ fullName: 'too short' });
  });

  it('a limited sign-in token is sent as given, never refreshed or mixed with the session', async () => {
    setAuth({ accessToken: jwt(600), user });
    const seen: string[] = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      seen.push(`${String(input)} ${(init?.headers as Record<string, string>).authorization}`);
      return response(401, { statusCode: 401, error: 'Unauthorized', message: 'expired' });
    });
    const err = await request('/me/password', { method: 'POST', body: {}, token: 'limited' }).catch(
      (e) => e,
    );
    expect(err.status).toBe(401);
    expect(seen).toEqual(['/api/me/password Bearer limited']);
    expect(getAuth()).not.toBeNull(); // the session is untouched
  });
  it('reports a file download as its bytes arrive, and hands over the same bytes', async () => {
    setAuth({ accessToken: jwt(600), user });
    const parts = [new Uint8Array(1000).fill(1), new Uint8Array(2500).fill(2), new Uint8Array(7)];
    jest.spyOn(globalThis, 'fetch').mockImplementation(async () => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (const p of parts) c.enqueue(p);
          c.close();
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/dicom' } });
    });
    const heard: number[] = [];
    const blob = await fetchBlob('/attachments/x/content', (n) => heard.push(n));
    expect(heard).toEqual([1000, 3500, 3507]);
    expect(blob.type).toBe('application/dicom');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(bytes.length).toBe(3507);
    expect([bytes[0], bytes[999], bytes[1000], bytes[3499], bytes[3500]]).toEqual([1, 1, 2, 2, 0]);
  });
});
