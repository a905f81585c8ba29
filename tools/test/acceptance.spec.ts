// SPEC's golden path and public contracts, from the outside: the launcher (`npm start`'s
// tools/start.mjs, built apps, SKIP_BUILD) on a fresh database of TEST_DATABASE_URL's server and
// free ports, then tools/acceptance/golden-path.mjs against it (REST, calendar, collaboration
// gateway, and the SFU with real WebRTC media), all through the one web origin (PUBLIC_URL):
// the web server proxies REST, the collaboration socket and SFU signalling. The script prints one
// line per check; this test fails on any FAIL line and shows them.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';
import { freePort } from '@caunoi/test-support';

const root = path.resolve(__dirname, '../..');
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

async function sql(url: string, text: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

function databaseUrl(server: string, name: string): string {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

describe('acceptance: SPEC golden path against the launched system', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-acceptance-'));
  const dbName = `caunoi_acceptance_${Date.now()}_${process.pid}`;
  let launcher: ChildProcess | undefined;
  let log = '';

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((r) => launcher!.once('exit', r));
      launcher.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
      clearTimeout(timer);
      if (launcher.exitCode === null) launcher.kill('SIGKILL');
    }
    if (serverUrl)
      await sql(serverUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every check of tools/acceptance/golden-path.mjs passes', async () => {
    for (const dist of [
      'apps/api/dist/main.js',
      'apps/sfu/dist/main.js',
      'apps/web/dist/index.html',
    ]) {
      if (!fs.existsSync(path.join(root, dist)))
        throw new Error(
          `${dist} is missing: build first (npm test does; or npx nx run-many -t build)`,
        );
    }
    const [api, sfu, rtc, web, pg] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production', // as `npm start` (jest sets NODE_ENV=test)
      SKIP_BUILD: 'true',
      CAUNOI_DATA_DIR: dataDir,
      PORT: String(api),
      SFU_PORT: String(sfu),
      SFU_RTC_PORT: String(rtc),
      SFU_WORKERS: '1',
      WEB_PORT: String(web),
      EMBEDDED_PG_PORT: String(pg),
      // The production path: REST, both sockets and SFU signalling through the web origin.
      PUBLIC_URL: `http://127.0.0.1:${web}`,
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    if (serverUrl) {
      await sql(serverUrl, `CREATE DATABASE ${dbName}`);
      env.DATABASE_URL = databaseUrl(serverUrl, dbName);
    }
    launcher = spawn(process.execPath, [path.join(root, 'tools/start.mjs')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (b) => (log += b));
    launcher.stderr!.on('data', (b) => (log += b));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (log.includes('is running')) {
          clearInterval(timer);
          resolve();
        } else if (launcher!.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`launcher exited ${launcher!.exitCode}:\n${log.slice(-3000)}`));
        }
      }, 200);
    });

    const run = spawnSync(process.execPath, [path.join(root, 'tools/acceptance/golden-path.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        API_BASE_URL: `http://127.0.0.1:${web}`,
        METRICS_URL: `http://127.0.0.1:${api}/metrics`,
        SFU_RTC_PORT: String(rtc),
      },
      encoding: 'utf8',
      timeout: 150_000,
    });
    const lines = `${run.stdout}${run.stderr}`.split('\n');
    // The SFU was reached through the web origin, not its own port.
    expect(run.stdout).toContain(
      `SFU signalling reached at http://127.0.0.1:${web} path /sfu/socket.io`,
    );
    const failed = lines.filter((l) => l.startsWith('FAIL') || l.includes('stopped at step'));
    expect({ status: run.status, failed }).toEqual({ status: 0, failed: [] });
    expect(lines.filter((l) => l.startsWith('PASS')).length).toBeGreaterThan(90);
  }, 240_000);
});
