import { ApiRequestError, CREATE_RETRY_DELAYS_MS, setAuth } from './client';
import { api } from './endpoints';

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
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const consultation = {
  patientId: '0b8a3a3e-5f3c-4e0e-9a55-3f7c2b1f0c11',
  urgency: 'routine',
} as unknown as Parameters<typeof api.createConsultation>[0];

/** Records each call's Idempotency-Key and answers from `answers` in turn. */
function fakeFetch(answers: Array<() => Response>) {
  const keys: Array<string | undefined> = [];
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (_input, init) => {
    keys.push((init?.headers as Record<string, string>)['idempotency-key']);
    const next = answers.shift();
    if (!next) throw new Error('unexpected call');
    return next();
  });
  return keys;
}

/** Lets every retry pause elapse on fake timers. */
async function elapseRetries() {
  for (const ms of CREATE_RETRY_DELAYS_MS) await jest.advanceTimersByTimeAsync(ms);
}

describe('creates carry an Idempotency-Key and are retried safely', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    setAuth({ accessToken: jwt(600), user });
  });
  afterEach(() => {
    jest.useRealTimers();
    setAuth(null);
    jest.restoreAllMocks();
  });

  it('a create whose answer was lost is sent again with the same key, and the replay is the result', async () => {
    const keys = fakeFetch([
      () => {
        throw new TypeError('Failed to fetch');
      },
      () => response(201, { id: 'c1' }),
    ]);
    const created = api.createConsultation(consultation);
    await elapseRetries();
    await expect(created).resolves.toEqual({ id: 'c1' });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('a gateway error is retried; the API refusing the input is not', async () => {
    const keys = fakeFetch([
      () => response(503, { statusCode: 503, error: 'Service Unavailable', message: 'db' }),
      () =>
        response(400, {
          statusCode: 400,
          error: 'Bad Request',
          message: 'invalid',
          details: [{ path: 'urgency', message: 'unknown' }],
        }),
    ]);
    const created = api.createConsultation(consultation).catch((e: unknown) => e);
    await elapseRetries();
    const err = (await created) as ApiRequestError;
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err.status).toBe(400);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
  });

  it('gives up after the last pause with the network error, and each create has its own key', async () => {
    const fail = () => {
      throw new TypeError('Failed to fetch');
    };
    const keys = fakeFetch([
      ...CREATE_RETRY_DELAYS_MS.map(() => fail),
      fail,
      () => response(201, { id: 's2' }),
    ]);
    const first = api
      .createSession({} as Parameters<typeof api.createSession>[0])
      .catch((e: unknown) => e);
    await elapseRetries();
    expect(await first).toBeInstanceOf(TypeError);
    expect(keys).toHaveLength(CREATE_RETRY_DELAYS_MS.length + 1);
    const second = api.createSession({} as Parameters<typeof api.createSession>[0]);
    await expect(second).resolves.toEqual({ id: 's2' });
    expect(keys.at(-1)).not.toBe(keys[0]);
  });

  it('reads carry no key', async () => {
    const keys = fakeFetch([() => response(200, { items: [] })]);
    await api.patients('Lan');
    expect(keys).toEqual([undefined]);
  });
});
