import fc from 'fast-check';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import {
  ACK_ERROR_CODES,
  ApiErrorSchema,
  COLLAB_CLIENT_EVENTS,
  COLLAB_NAMESPACE,
} from '@caunoi/shared';
import { ApiProcess, startApiProcess } from './api-process';
import {
  FuzzOperation,
  nastyString,
  OpenApiDoc,
  operationsOf,
  valueOf,
} from './openapi-arbitraries';

/**
 * Malformed requests to every REST operation of the OpenAPI document and malformed payloads for
 * every collaboration event, against the built API as its own process on real PostgreSQL: no 5xx,
 * every error in the documented shape, every event answered (never `internal`), and the process
 * alive and healthy afterwards. FUZZ_REQUESTS / FUZZ_EVENTS size the run (npm test: 2,000 / 300),
 * FUZZ_SEED replays one.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const EVENTS = Number(process.env.FUZZ_EVENTS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = 4;
/** URLs and headers cannot carry a lone surrogate at all (JSON bodies can, and do). */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

interface Sent {
  method: string;
  url: string;
  status: number;
  problem?: string;
  body?: string;
}

describe(`fuzz (seed ${SEED})`, () => {
  let api: ApiProcess;
  let doc: OpenApiDoc;
  let ops: FuzzOperation[];
  let ids: fc.Arbitrary<string>;
  let sessionIds: string[];

  beforeAll(async () => {
    api = await startApiProcess();
    doc = (await (await fetch(`${api.url}/api/docs-json`)).json()) as OpenApiDoc;
    ops = operationsOf(doc);
    const db = new Client({ connectionString: api.dbUrl });
    await db.connect();
    const { rows } = await db.query<{ id: string; kind: string }>(
      `SELECT id::text, 'consultation' AS kind FROM consultations UNION ALL SELECT id::text, 'session' FROM sessions
       UNION ALL SELECT id::text, 'patient' FROM patients UNION ALL SELECT id::text, 'user' FROM users
       UNION ALL SELECT id::text, 'facility' FROM facilities UNION ALL SELECT id::text, 'attachment' FROM attachments`,
    );
    await db.end();
    ids = fc.constantFrom(...rows.map((r) => r.id));
    sessionIds = rows.filter((r) => r.kind === 'session').map((r) => r.id);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  const request = (op: FuzzOperation) =>
    fc.record({
      who: fc.constantFrom(...Object.keys(api.tokens), 'nobody', 'forged'),
      params: fc.array(fc.oneof({ weight: 3, arbitrary: ids }, fc.uuid(), nastyString), {
        minLength: op.pathParams.length,
        maxLength: op.pathParams.length,
      }),
      query: fc.record(
        Object.fromEntries(op.query.map((q) => [q.name, valueOf(q.schema, doc, ids)])),
        { requiredKeys: [] },
      ),
      extraQuery: fc.dictionary(nastyString, nastyString, { maxKeys: 2 }),
      body: op.body
        ? fc.oneof(
            { weight: 5, arbitrary: valueOf(op.body.schema, doc, ids).map((v) => ({ json: v })) },
            { weight: 1, arbitrary: nastyString.map((raw) => ({ raw })) },
            {
              weight: 1,
              arbitrary: fc.uint8Array({ maxLength: 2000 }).map((bytes) => ({ bytes })),
            },
          )
        : fc.option(
            nastyString.map((raw) => ({ raw })),
            { freq: 5 },
          ),
      contentType: fc.option(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'multipart/form-data',
          'application/json; charset=latin1',
        ),
        { freq: 4 },
      ),
      idempotencyKey: fc.option(nastyString, { freq: 6 }),
      range: fc.option(fc.constantFrom('bytes=5-1', 'bytes=999999999-', 'bytes=-', 'pages=1'), {
        freq: 8,
      }),
    });

  type FuzzRequest = ReturnType<typeof request> extends fc.Arbitrary<infer R> ? R : never;

  async function send(op: FuzzOperation, r: FuzzRequest): Promise<Sent> {
    let path = op.path;
    op.pathParams.forEach((name, i) => {
      path = path.replace(`{${name}}`, encodeURIComponent(wellFormed(r.params[i])));
    });
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...r.query, ...r.extraQuery }))
      qs.append(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
    const url = `${api.url}${path}${qs.size ? `?${qs}` : ''}`;
    const headers: Record<string, string> = {};
    if (r.who === 'forged') headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.e30.';
    else if (r.who !== 'nobody') headers.authorization = `Bearer ${api.tokens[r.who]}`;
    let body: string | Uint8Array | undefined;
    if (r.body && 'json' in r.body) {
      body = JSON.stringify(r.body.json) ?? 'null';
      headers['content-type'] = 'application/json';
    } else if (r.body && 'raw' in r.body) {
      body = r.body.raw;
      headers['content-type'] = 'application/json';
    } else if (r.body && 'bytes' in r.body) {
      body = r.body.bytes;
      headers['content-type'] = op.body?.type ?? 'application/octet-stream';
    }
    if (r.contentType) headers['content-type'] = r.contentType;
    if (r.idempotencyKey !== null)
      headers['idempotency-key'] = encodeURIComponent(wellFormed(r.idempotencyKey));
    if (r.range) headers.range = r.range;
    const res = await fetch(url, {
      method: op.method,
      headers,
      body: op.method === 'GET' ? undefined : body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    const sent: Sent = {
      method: op.method,
      url: `${op.path}${qs.size ? '?…' : ''}`,
      status: res.status,
    };
    if (res.status >= 500) return { ...sent, problem: '5xx', body: text.slice(0, 300) };
    if (res.status >= 400) {
      if (!/^application\/json/.test(res.headers.get('content-type') ?? ''))
        return {
          ...sent,
          problem: `error as ${res.headers.get('content-type')}`,
          body: text.slice(0, 200),
        };
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { ...sent, problem: 'error body is not JSON', body: text.slice(0, 200) };
      }
      const shape = ApiErrorSchema.safeParse(parsed);
      if (!shape.success || shape.data.statusCode !== res.status)
        return { ...sent, problem: 'error not in the documented shape', body: text.slice(0, 300) };
    }
    return sent;
  }

  // First: the REST fuzz may sign the demo accounts out or disable them.
  it(
    'every collaboration event answers malformed payloads with an error ack, never internal',
    async () => {
      const socket = io(`${api.url}${COLLAB_NAMESPACE}`, {
        auth: { token: api.tokens['specialist1@central-a.demo'] },
        transports: ['websocket'],
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const likely = <T>(good: fc.Arbitrary<T>) =>
        fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: nastyString });
      const sessionish = likely(fc.constantFrom(...sessionIds));
      const point = fc.tuple(fc.double({ min: 0, max: 1 }), fc.double({ min: 0, max: 1 }));
      const fields = fc.record(
        {
          sessionId: sessionish,
          clientId: likely(fc.uuid()),
          text: likely(fc.string({ minLength: 1, maxLength: 200 })),
          presenterId: fc.oneof(fc.uuid(), fc.constant(null), nastyString),
          attachmentId: likely(fc.uuid()),
          view: fc.oneof(
            fc.anything(),
            fc.record({
              attachmentId: fc.oneof(fc.constant(null), fc.uuid()),
              page: fc.integer({ min: -1, max: 20000 }),
              zoom: fc.double(),
              pan: fc.record({ x: fc.double(), y: fc.double() }),
              pointer: fc.oneof(fc.constant(null), fc.record({ x: fc.double(), y: fc.double() })),
            }),
          ),
          shape: fc.oneof(
            fc.anything(),
            fc.record({ type: fc.constant('arrow'), from: point, to: point }),
            fc.record({ type: fc.constant('text'), at: point, text: nastyString }),
          ),
          page: fc.oneof(fc.integer(), nastyString),
        },
        { requiredKeys: [] },
      );
      /** The keys each event reads; other keys are left out most of the time. */
      const KEYS: Record<string, string[]> = {
        [COLLAB_CLIENT_EVENTS.enter]: ['sessionId'],
        [COLLAB_CLIENT_EVENTS.leave]: ['sessionId'],
        [COLLAB_CLIENT_EVENTS.chatSend]: ['sessionId', 'clientId', 'text'],
        [COLLAB_CLIENT_EVENTS.viewUpdate]: ['sessionId', 'view'],
        [COLLAB_CLIENT_EVENTS.presenterSet]: ['sessionId', 'presenterId'],
        [COLLAB_CLIENT_EVENTS.annotationAdd]: [
          'sessionId',
          'attachmentId',
          'clientId',
          'page',
          'shape',
        ],
      };
      const payloadFor = (event: string) =>
        fc.oneof(
          { weight: 1, arbitrary: fc.anything() },
          { weight: 1, arbitrary: fields },
          {
            weight: 4,
            arbitrary: fields.map((f) =>
              Object.fromEntries(
                Object.entries(f).filter(([k]) =>
                  (Object.hasOwn(KEYS, event) ? KEYS[event] : []).includes(k),
                ),
              ),
            ),
          },
        );
      // Enter every session first, so the events reach their handlers, not only the door.
      for (const sessionId of sessionIds)
        await socket.timeout(10_000).emitWithAck(COLLAB_CLIENT_EVENTS.enter, { sessionId });
      const event = fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...Object.values(COLLAB_CLIENT_EVENTS)) },
        { weight: 1, arbitrary: nastyString },
      );
      const cases = fc.sample(
        event.chain((e) =>
          fc.record({
            event: fc.constant(e),
            payload: payloadFor(e),
            extra: fc.oneof(
              { weight: 5, arbitrary: fc.constant([]) },
              { weight: 1, arbitrary: fc.array(fc.anything(), { maxLength: 2 }) },
            ),
          }),
        ),
        { numRuns: EVENTS, seed: SEED },
      );
      const answers: Record<string, number> = {};
      const problems: unknown[] = [];
      for (const c of cases) {
        if (!socket.connected) {
          problems.push({ event: c.event, problem: 'disconnected by the server' });
          break;
        }
        const ack = (await socket
          .timeout(10_000)
          .emitWithAck(c.event, c.payload, ...c.extra)
          .catch((err: Error) => ({ timeout: err.message }))) as {
          ok?: boolean;
          error?: { code: string };
          timeout?: string;
        };
        const key = ack.ok ? 'ok' : (ack.error?.code ?? 'no answer');
        answers[key] = (answers[key] ?? 0) + 1;
        if (
          ack.timeout ||
          (!ack.ok && !(ACK_ERROR_CODES as readonly string[]).includes(key)) ||
          key === 'internal'
        )
          problems.push({ event: c.event, ack });
        await new Promise((r) => setTimeout(r, 40)); // within the per-socket rate limit mostly
      }
      socket.disconnect();
      console.log(`fuzz sockets: ${cases.length} events, seed ${SEED}: ${JSON.stringify(answers)}`);
      expect(problems.slice(0, 10)).toEqual([]);
    },
    30 * 60_000,
  );

  it(
    'every REST operation answers malformed requests with a 4xx in the documented shape, never a 5xx',
    async () => {
      expect(ops.length).toBeGreaterThan(40);
      const arb = fc.constantFrom(...ops).chain((op) => request(op).map((r) => ({ op, r })));
      const cases = fc.sample(arb, { numRuns: REQUESTS, seed: SEED });
      const results: Sent[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < cases.length) {
            const { op, r } = cases[next++];
            results.push(await send(op, r));
          }
        }),
      );
      const byClass: Record<string, number> = {};
      for (const s of results)
        byClass[`${String(s.status)[0]}xx`] = (byClass[`${String(s.status)[0]}xx`] ?? 0) + 1;
      const covered = new Set(results.map((s) => s.method + ' ' + s.url.split('?')[0])).size;
      console.log(
        `fuzz REST: ${results.length} requests over ${covered}/${ops.length} operations, seed ${SEED}: ${JSON.stringify(byClass)}`,
      );
      const problems = results.filter((s) => s.problem);
      expect(problems.slice(0, 10)).toEqual([]);
      expect(api.alive()).toBe(true);
    },
    30 * 60_000,
  );

  it('the API is alive and healthy afterwards, and nothing escaped to the last-resort handler', async () => {
    expect(api.alive()).toBe(true);
    const res = await fetch(`${api.url}/health/ready`);
    expect(res.status).toBe(200);
    const escaped = api
      .logs()
      .filter((l) => /uncaught exception|unhandled promise rejection|unhandled error/.test(l));
    expect(escaped.slice(0, 5)).toEqual([]);
  });
});
