// Several API instances and SFU nodes on one machine (`SFU_NODES=2 API_INSTANCES=2 npm start`),
// for tests and demos of a multi-node deployment: extra instances on consecutive ports, each SFU
// node with its own node id and media port range, all sharing PostgreSQL and Redis, and the web
// server balancing /api between the API instances. One of each stays the default.
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { httpReady } from './services.mjs';

const MAX = 8;

/** API_INSTANCES and SFU_NODES (1 to 8 each). */
export function clusterCounts(env) {
  const count = (name) => {
    const raw = env[name] ?? '1';
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > MAX)
      throw new Error(`${name} must be a whole number from 1 to ${MAX} (got "${raw}")`);
    return n;
  };
  return { api: count('API_INSTANCES'), sfu: count('SFU_NODES') };
}

function listening(port) {
  return () =>
    new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
}

/**
 * Several instances share state through Redis (login counters, socket.io adapter, SFU registry).
 * REDIS_URL when given; else a local `redis-server` (when installed) kept in memory only, on
 * EMBEDDED_REDIS_PORT; else null (the launcher then refuses to start several instances).
 */
export function localRedis(env) {
  if (env.REDIS_URL) return { url: env.REDIS_URL, spec: null };
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const port = Number(env.EMBEDDED_REDIS_PORT ?? 6380);
  return {
    url: `redis://127.0.0.1:${port}`,
    spec: {
      name: 'redis',
      command: 'redis-server',
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      env: { PATH: env.PATH },
      stopSignal: 'SIGTERM',
      stopTimeoutMs: 2_000,
      ready: listening(port),
    },
  };
}

/**
 * The base api/sfu/web specs of services.mjs, multiplied: `api`, `api-2`…, `sfu`, `sfu-2`…
 * (the first of each keeps its name, ports and log prefix). Every SFU node announces itself in
 * Redis; the API places each session on one of them.
 */
export function scaleOut(apps, { counts, ports, redisUrl, env }) {
  const workers = Number(env.SFU_WORKERS ?? os.cpus().length);
  const apiUrl = (k) => `http://127.0.0.1:${ports.api + k}`;
  const api = Array.from({ length: counts.api }, (_, k) => {
    const port = ports.api + k;
    return {
      ...apps.api,
      name: k === 0 ? 'api' : `api-${k + 1}`,
      env: {
        ...apps.api.env,
        PORT: String(port),
        REDIS_URL: redisUrl,
        // The first instance migrates and seeds before the others start.
        ...(k > 0 ? { SEED_DEMO: 'false' } : {}),
      },
      ready: httpReady(`${apiUrl(k)}/health`),
    };
  });
  const sfu = Array.from({ length: counts.sfu }, (_, k) => {
    const port = ports.sfu + k;
    const nodeId = `sfu-${k + 1}`;
    return {
      ...apps.sfu,
      name: k === 0 ? 'sfu' : nodeId,
      env: {
        ...apps.sfu.env,
        SFU_PORT: String(port),
        // Worker i of node k listens on SFU_RTC_PORT + k × workers + i.
        SFU_RTC_PORT: String(ports.rtc + k * workers),
        SFU_WORKERS: String(workers),
        SFU_NODE_ID: nodeId,
        SFU_PUBLIC_URL: `http://localhost:${port}`,
        SFU_INTERNAL_URL: `http://127.0.0.1:${port}`,
        REDIS_URL: redisUrl,
      },
      ready: httpReady(`http://127.0.0.1:${port}/health`),
    };
  });
  const nodeOrigins = sfu.flatMap((s) => {
    const u = new URL(s.env.SFU_PUBLIC_URL);
    return [u.origin, `ws://${u.host}`];
  });
  const web = {
    ...apps.web,
    env: {
      ...apps.web.env,
      API_URL: api.map((_, k) => apiUrl(k)).join(','),
      ...(counts.sfu > 1 ? { CSP_CONNECT_SRC: env.CSP_CONNECT_SRC ?? nodeOrigins.join(' ') } : {}),
    },
  };
  return { api, sfu, web };
}
