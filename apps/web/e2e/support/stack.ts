/**
 * Starts the whole product for browser tests as child processes on free ports: the built API
 * (fresh database on TEST_DATABASE_URL's server, demo seed), the built SFU and the web server
 * (apps/web/server/serve.mjs over apps/web/dist). Run with Node 24 (type stripping): no
 * TypeScript-only syntax beyond annotations here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { freePort } from '@caunoi/test-support';

export { freePort };

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../../../..');
const require = createRequire(import.meta.url);

export interface Stack {
  webUrl: string;
  apiUrl: string;
  sfuUrl: string;
  /** The SFU's first WebRtcServer port (UDP and TCP), e.g. for a link emulator in front of it. */
  rtcPort: number;
  logsDir: string;
  /** The stack's own database (for tests that arrange data the API cannot). */
  dbUrl: string;
  /** ES256 private key the API signs join tokens with (tests that stub the API sign their own). */
  joinPrivateKey: string;
  stop: () => Promise<void>;
  /** Stops the API gracefully (SIGTERM, as a service manager would); the rest keeps running. */
  stopApi: () => Promise<void>;
  /** Starts the API again on the same port and database; resolves when it answers /health. */
  startApi: () => Promise<void>;
}

async function waitForHttp(
  url: string,
  child: ChildProcess,
  name: string,
  timeoutMs = 90_000,
): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with ${child.exitCode} before it was ready (see its log)`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} not ready at ${url} within ${timeoutMs} ms`);
}

function start(
  name: string,
  script: string,
  env: Record<string, string>,
  logsDir: string,
): ChildProcess {
  const log = fs.openSync(path.join(logsDir, `${name}.log`), 'w');
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 8000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

function pgClient(url: string): PgClient {
  const { Client } = require('pg') as { Client: new (o: { connectionString: string }) => PgClient };
  return new Client({ connectionString: url });
}

/** Runs SQL on a stack's database: for arranging what the API has no call for. */
export async function runSql(dbUrl: string, sql: string): Promise<void> {
  const c = pgClient(dbUrl);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * The demo seed puts a consultation "in progress right now" with the demo specialists and the
 * district site. A test that books those people from now on would clash with it (the database
 * refuses double booking, rightly), so such a test ends the live demo sessions first.
 */
async function endLiveDemoSessions(dbUrl: string): Promise<void> {
  const c = pgClient(dbUrl);
  await c.connect();
  try {
    await c.query(`UPDATE session_bookings SET during = tstzrange(lower(during), now() - interval '1 second')
                    WHERE NOT cancelled AND lower(during) < now() - interval '1 second' AND upper(during) > now()`);
    await c.query(`UPDATE sessions SET ends_at = now() - interval '1 second', status = 'ended'
                    WHERE status IN ('scheduled', 'in_progress') AND starts_at < now() - interval '1 second' AND ends_at > now()`);
  } finally {
    await c.end();
  }
}

export async function startStack(
  opts: {
    logsDir?: string;
    endLiveDemoSessions?: boolean;
    /** Extra API environment (e.g. DICOM_SCP_PORT for the DICOM inbox suite). */
    apiEnv?: Record<string, string>;
    /** The SFU's log level ('warn' by default; a benchmark may want its decisions at 'info'). */
    sfuLogLevel?: string;
  } = {},
): Promise<Stack> {
  const serverUrl =
    process.env.TEST_DATABASE_URL ??
    process.env.DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `caunoi_web_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = pgClient(serverUrl);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${dbName}`;

  const logsDir = opts.logsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-web-e2e-'));
  fs.mkdirSync(logsDir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const serviceToken = randomBytes(24).toString('hex');
  const [apiPort, sfuPort, rtcPort, webPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sfuUrl = `http://127.0.0.1:${sfuPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-web-e2e-files-'));

  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
    fs.rmSync(attachmentsDir, { recursive: true, force: true });
    const a = pgClient(serverUrl);
    try {
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    } catch {
      /* best effort */
    } finally {
      await a.end().catch(() => undefined);
    }
  };

  const apiEnv = {
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    DATABASE_URL: dbUrl.toString(),
    SEED_DEMO: 'true',
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    JOIN_TOKEN_PRIVATE_KEY: privatePem,
    SFU_PUBLIC_URL: sfuUrl,
    // Where the API sends its commands (end a session, start a recording): this stack's SFU, not
    // the default port.
    SFU_INTERNAL_URL: sfuUrl,
    SFU_SERVICE_TOKEN: serviceToken,
    ATTACHMENTS_DIR: attachmentsDir,
    LOG_LEVEL: 'warn',
    LOGIN_MAX_ATTEMPTS: '50',
    ...opts.apiEnv,
  };
  let apiRuns = 0;
  const startApiProcess = () =>
    start(
      apiRuns++ ? `api-${apiRuns}` : 'api',
      path.join(ROOT, 'apps/api/dist/main.js'),
      apiEnv,
      logsDir,
    );
  let api: ChildProcess;
  try {
    api = startApiProcess();
    children.push(api);
    const sfu = start(
      'sfu',
      path.join(ROOT, 'apps/sfu/dist/main.js'),
      {
        SFU_PORT: String(sfuPort),
        SFU_HOST: '127.0.0.1',
        SFU_RTC_PORT: String(rtcPort),
        SFU_LISTEN_IP: '127.0.0.1',
        SFU_ANNOUNCED_ADDRESS: '127.0.0.1',
        SFU_WORKERS: '1',
        JOIN_TOKEN_PUBLIC_KEY: publicPem,
        API_URL: apiUrl,
        SFU_SERVICE_TOKEN: serviceToken,
        LOG_LEVEL: opts.sfuLogLevel ?? 'warn',
      },
      logsDir,
    );
    children.push(sfu);
    const web = start(
      'web',
      path.join(ROOT, 'apps/web/server/serve.mjs'),
      {
        WEB_PORT: String(webPort),
        HOST: '127.0.0.1',
        API_URL: apiUrl,
        SFU_PUBLIC_URL: sfuUrl,
        // /sfu/socket.io on the one origin reaches this SFU (the weak-link benchmark signals there).
        SFU_INTERNAL_URL: sfuUrl,
      },
      logsDir,
    );
    children.push(web);
    await waitForHttp(`${apiUrl}/health`, api, 'API', 120_000);
    await waitForHttp(`${sfuUrl}/health`, sfu, 'SFU');
    await waitForHttp(`${webUrl}/`, web, 'web');
    if (opts.endLiveDemoSessions) await endLiveDemoSessions(dbUrl.toString());
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}; logs in ${logsDir}`);
  }
  const stopApi = async () => {
    await stopChild(api);
  };
  const startApi = async () => {
    const next = startApiProcess();
    children[children.indexOf(api)] = next;
    api = next;
    await waitForHttp(`${apiUrl}/health`, next, 'API', 120_000);
  };
  return {
    webUrl,
    apiUrl,
    sfuUrl,
    rtcPort,
    logsDir,
    dbUrl: dbUrl.toString(),
    joinPrivateKey: privatePem,
    stop,
    stopApi,
    startApi,
  };
}
