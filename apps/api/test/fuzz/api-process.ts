import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { joinTokenKeys } from '../sessions-fixtures';
import { DEMO_USERS } from '../../src/database/seed/demo-network';
import { DEMO_PASSWORD } from '../support/test-app';
import { freePort } from '@caunoi/test-support';

/** The built API (`dist/main.js`) as its own process, on a fresh database with the demo seed. */
export interface ApiProcess {
  url: string;
  /** The process's database (to pick real ids to aim at). */
  dbUrl: string;
  tokens: Record<string, string>;
  alive: () => boolean;
  /** Lines the API logged at warn or above (JSON), for the report. */
  logs: () => string[];
  stop: () => Promise<void>;
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function startApiProcess(): Promise<ApiProcess> {
  const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!server) throw new Error('set TEST_DATABASE_URL');
  const db = `caunoi_fuzz_${randomBytes(5).toString('hex')}`;
  await admin(server, `CREATE DATABASE ${db}`);
  const dbUrl = new URL(server);
  dbUrl.pathname = `/${db}`;
  const port = await freePort();
  const attachments = mkdtempSync(path.join(os.tmpdir(), 'caunoi-fuzz-att-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(__dirname, '..', '..', 'dist', 'main.js')],
    {
      env: {
        ...process.env,
        DATABASE_URL: dbUrl.toString(),
        DATABASE_MIGRATION_URL: '',
        AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
        SEED_DEMO: 'true',
        DEMO_PASSWORD,
        ATTACHMENTS_DIR: attachments,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        API_DOCS: 'true',
        JOIN_TOKEN_PRIVATE_KEY: joinTokenKeys().privatePem,
        SFU_SERVICE_TOKEN: 'fuzz-service-token-0123456789',
        SFU_INTERNAL_URL: 'http://127.0.0.1:9', // nothing listens: commands fail and are retried
        SESSION_SWEEP_SECONDS: '5',
        LOGIN_MAX_ATTEMPTS: '1000',
        REDIS_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let exited = false;
  child.on('exit', () => (exited = true));
  for (const s of [child.stdout!, child.stderr!])
    s.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (exited) throw new Error(`API exited at start:\n${lines.slice(-20).join('\n')}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error('API not ready within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const tokens: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: u.email, password: DEMO_PASSWORD }),
    });
    tokens[u.email] = ((await res.json()) as { accessToken: string }).accessToken;
  }
  return {
    url,
    dbUrl: dbUrl.toString(),
    tokens,
    alive: () => !exited,
    logs: () => lines,
    stop: async () => {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      await admin(server, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => {});
      rmSync(attachments, { recursive: true, force: true });
    },
  };
}
