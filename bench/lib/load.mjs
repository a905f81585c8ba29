// Load generation shared by the API benchmarks: autocannon against the real API, the same work
// run by concurrent loops through the pg driver directly, and the API's compiled services wired
// onto a plain pg pool (no Nest, HTTP or auth guard) for that baseline.
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { ROOT } from './results.mjs';
import { percentile, round } from './stats.mjs';

export const CONNECTIONS = 50;

export const apiRequire = createRequire(path.join(ROOT, 'apps/api/package.json'));
apiRequire('reflect-metadata'); // before any compiled class is loaded, so Nest metadata is recorded
export const dist = (p) => path.join(ROOT, 'apps/api/dist', p);

export function rotating(items) {
  let i = 0;
  return () => items[i++ % items.length];
}

/** autocannon run → summary numbers. */
export async function cannon({
  url,
  token,
  connections = CONNECTIONS,
  method = 'GET',
  next,
  body,
  seconds,
  amount,
}) {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    amount,
    timeout: 10,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        method,
        setupRequest: (req) => ({
          ...req,
          path: next ? next() : req.path,
          body: body ? JSON.stringify(body()) : undefined,
        }),
      },
    ],
  });
  return {
    requestsPerSecond: round(result.requests.average, 0),
    total: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]),
    ),
    errors: result.errors,
    timeouts: result.timeouts,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    maxMs: result.latency.max,
    seconds: result.duration,
  };
}

/** The pg-driver baseline: `work(k)` run by 50 concurrent loops for `seconds`. */
export async function rawLoad(work, seconds, connections = CONNECTIONS) {
  const latencies = [];
  let errors = 0;
  let k = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const s = process.hrtime.bigint();
        try {
          await work(k++);
          latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        } catch {
          errors++;
        }
      }
    }),
  );
  const wall = (Date.now() - t0) / 1000;
  return {
    requestsPerSecond: round(latencies.length / wall, 0),
    total: latencies.length,
    errors,
    p50ms: round(percentile(latencies, 50), 2),
    p99ms: round(percentile(latencies, 99), 2),
  };
}

/** A TypeORM DataSource stand-in on a pg pool (query + transaction), for the compiled classes. */
export function pgDataSource(pool) {
  const wrap = (client) => ({
    query: (sql, params) =>
      client
        .query(sql, params)
        .then((r) =>
          r.command === 'UPDATE' || r.command === 'DELETE' ? [r.rows, r.rowCount] : r.rows,
        ),
  });
  return {
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

/** Non-class tokens the compiled services inject: the API's configuration (APP_CONFIG). */
function defaultProviders() {
  const { APP_CONFIG } = apiRequire(dist('config/config.module.js'));
  const { loadConfig } = apiRequire(dist('config/env.schema.js'));
  const config = loadConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  });
  return new Map([[APP_CONFIG, config]]);
}

/**
 * Build a compiled API class with its constructor dependencies read from Nest's metadata
 * (@Inject tokens and design:paramtypes), recursively, with TypeORM's DataSource replaced by the
 * pg pool: the API's own services and repositories, minus Nest, HTTP and the auth guard.
 */
export function wiring(dsx, provided = defaultProviders()) {
  apiRequire('reflect-metadata');
  const { DataSource } = apiRequire('typeorm');
  const made = new Map();
  const make = (token) => {
    if (token === DataSource) return dsx;
    if (provided.has(token)) return provided.get(token);
    if (made.has(token)) return made.get(token);
    if (typeof token !== 'function')
      throw new Error(`cannot wire non-class token ${String(token)}`);
    const types = Reflect.getMetadata('design:paramtypes', token) ?? [];
    const injected = Reflect.getMetadata('self:paramtypes', token) ?? [];
    const args = types.map((t, i) => make(injected.find((x) => x.index === i)?.param ?? t));
    const instance = new token(...args);
    made.set(token, instance);
    return instance;
  };
  return make;
}
