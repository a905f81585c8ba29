#!/usr/bin/env node
// `npm start`: the whole system on one machine with zero setup.
// Builds what changed (Nx cache), brings up PostgreSQL (embedded unless DATABASE_URL is set),
// then API, SFU and web as child processes, and prints the URL to open.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from './lib/embedded-db.mjs';
import { ensureDemoSecrets } from './lib/secrets.mjs';
import { waitForHttp } from './lib/wait.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.CAUNOI_DATA_DIR ?? path.join(root, '.data');
const env = process.env;
const ports = {
  web: Number(env.WEB_PORT ?? 8080),
  api: Number(env.PORT ?? env.API_PORT ?? 3000),
  sfu: Number(env.SFU_PORT ?? 4000),
  rtc: Number(env.SFU_RTC_PORT ?? 40000),
  pg: Number(env.EMBEDDED_PG_PORT ?? 5433),
};
const log = (m) => console.log(`[caunoi] ${m}`);
const children = [];
let stopDb = async () => {};
let stopping = false;

async function main() {
  if (env.SKIP_BUILD !== 'true') build();
  const secrets = ensureDemoSecrets(path.join(dataDir, 'secrets'));
  const pick = (k) => env[k] ?? secrets[k];

  let databaseUrl = env.DATABASE_URL;
  let migrationUrl = env.DATABASE_MIGRATION_URL;
  if (!databaseUrl) {
    const db = await startEmbeddedPostgres({
      dir: path.join(dataDir, 'postgres'),
      port: ports.pg,
      database: 'caunoi',
      appRole: { name: 'caunoi_app', password: pick('DATABASE_APP_PASSWORD') },
      log,
    });
    // The API connects with row rights only; migrations run as the owner.
    databaseUrl = db.appUrl;
    migrationUrl = db.url;
    stopDb = db.stop;
    log(
      `embedded PostgreSQL on 127.0.0.1:${ports.pg} (data in ${path.relative(root, dataDir)}/postgres)`,
    );
  } else {
    log('using DATABASE_URL');
  }

  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const common = {
    ...env,
    NODE_ENV: env.NODE_ENV ?? 'production',
    SFU_SERVICE_TOKEN: pick('SFU_SERVICE_TOKEN'),
  };
  run('api', 'apps/api/dist/main.js', {
    ...common,
    PORT: String(ports.api),
    DATABASE_URL: databaseUrl,
    DATABASE_MIGRATION_URL: migrationUrl,
    SEED_DEMO: env.SEED_DEMO ?? 'true', // the demo seeds itself; compose leaves this off
    AUTH_JWT_SECRET: pick('AUTH_JWT_SECRET'),
    JOIN_TOKEN_PRIVATE_KEY: env.JOIN_TOKEN_PRIVATE_KEY_FILE
      ? undefined
      : pick('JOIN_TOKEN_PRIVATE_KEY'),
    // PUBLIC_URL: clients reach the SFU through the web origin (/sfu/socket.io); else its own port.
    SFU_PUBLIC_URL:
      env.SFU_PUBLIC_URL ?? (env.PUBLIC_URL ? undefined : `http://localhost:${ports.sfu}`),
    ATTACHMENTS_DIR: env.ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments'),
  });
  await waitForHttp(`${apiUrl}/health`, 120_000);
  run('sfu', 'apps/sfu/dist/main.js', {
    ...common,
    SFU_PORT: String(ports.sfu),
    SFU_RTC_PORT: String(ports.rtc),
    API_URL: apiUrl,
    JOIN_TOKEN_PUBLIC_KEY: env.JOIN_TOKEN_PUBLIC_KEY_FILE
      ? undefined
      : pick('JOIN_TOKEN_PUBLIC_KEY'),
  });
  run('web', 'apps/web/server/serve.mjs', {
    ...common,
    WEB_PORT: String(ports.web),
    API_URL: apiUrl,
    SFU_INTERNAL_URL: env.SFU_INTERNAL_URL ?? `http://127.0.0.1:${ports.sfu}`,
  });
  await Promise.all([
    waitForHttp(`http://127.0.0.1:${ports.sfu}/health`, 60_000),
    waitForHttp(`http://127.0.0.1:${ports.web}/`, 60_000),
  ]);
  console.log(`
  Cầu Nối is running.
    Open      http://localhost:${ports.web}
    API       http://localhost:${ports.api}/api  (OpenAPI: /api/docs, health: /health)
    SFU       http://localhost:${ports.sfu}  (media on ${ports.rtc} UDP+TCP)
    Sign in   coordinator@central-a.demo / requester@district-1.demo, password ${env.DEMO_PASSWORD ?? 'CauNoi#2026'}
  Ctrl+C stops everything.
`);
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

function run(name, script, childEnv) {
  const clean = Object.fromEntries(Object.entries(childEnv).filter(([, v]) => v !== undefined));
  const child = spawn(process.execPath, [path.join(root, script)], {
    cwd: root,
    env: clean,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream, out) =>
    stream.on('data', (buf) => {
      for (const line of buf.toString().split('\n'))
        if (line) out.write(`${name.padEnd(3)} | ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    log(`${name} exited (${signal ?? code}); stopping the rest`);
    void shutdown(1);
  });
  children.push(child);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  await stopDb().catch(() => {});
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (err) => {
  console.error(`[caunoi] failed to start: ${err?.message ?? err}`);
  await shutdown(1);
});
