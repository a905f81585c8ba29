// Start the real built API (apps/api/dist/main.js) as a child process on a fresh database, with a
// join-token key pair generated for this run, and log demo accounts in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT } from './results.mjs';
import { es256KeyPair } from './keys.mjs';
import { freePort, startProcess, waitForHttp } from './proc.mjs';

export const DEMO_PASSWORD = 'CauNoi#2026';

export async function startApi({
  databaseUrl,
  env = {},
  log = console.log,
  keys = es256KeyPair(),
}) {
  const port = await freePort();
  const attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-bench-att-'));
  const child = startProcess('api', process.execPath, [path.join(ROOT, 'apps/api/dist/main.js')], {
    cwd: ROOT,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
      SEED_DEMO: 'true',
      SEED_DEMO_FORCE: 'true', // the benchmark runs the production build on the demo network
      DEMO_PASSWORD,
      ATTACHMENTS_DIR: attachmentsDir,
      JOIN_TOKEN_PRIVATE_KEY: keys.privatePem,
      SFU_SERVICE_TOKEN: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'info',
      // A benchmark logs in many clients from one address.
      LOGIN_MAX_ATTEMPTS: '100000',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  await waitForHttp(child, `${url}/health`, 90_000);
  log(`API up on ${url} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log ${child.logFile})`);

  async function call(method, p, { token, body, timeoutMs = 60_000 } = {}) {
    const res = await fetch(`${url}${p}`, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  }
  async function login(email) {
    const r = await call('POST', '/api/auth/login', { body: { email, password: DEMO_PASSWORD } });
    if (r.status !== 200 && r.status !== 201)
      throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
    return { token: r.body.accessToken, user: r.body.user };
  }
  return {
    url,
    port,
    child,
    keys,
    call,
    login,
    cleanup() {
      fs.rmSync(attachmentsDir, { recursive: true, force: true });
    },
  };
}
