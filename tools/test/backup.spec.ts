// Restore drill of `npm start`'s embedded default: the launcher on its own embedded PostgreSQL,
// the golden path writes real data (requests, attachments, a session, signed minutes), then
// `npm run backup` while it runs → stop → database and files wiped → `npm run restore` → every
// table's row count and every file's hash are what they were, and signed minutes are still
// immutable (the trigger refuses an UPDATE).
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';
import { hashTree } from '../lib/backup.mjs';
import { freePort } from '@caunoi/test-support';

const root = path.resolve(__dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-restore-drill-'));
let launcher: ChildProcess | undefined;

async function stopLauncher(): Promise<void> {
  if (!launcher || launcher.exitCode !== null) return;
  const exited = new Promise((r) => launcher!.once('exit', r));
  launcher.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  if (launcher.exitCode === null) launcher.kill('SIGKILL');
}

async function startLauncher(env: NodeJS.ProcessEnv): Promise<void> {
  let log = '';
  launcher = spawn(process.execPath, [path.join(root, 'tools/start.mjs')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout!.on('data', (b) => (log += b));
  launcher.stderr!.on('data', (b) => (log += b));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (log.includes('is running')) resolve();
      else if (launcher!.exitCode !== null)
        reject(new Error(`launcher exited:\n${log.slice(-3000)}`));
      else return;
      clearInterval(timer);
    }, 200);
  });
}

afterAll(async () => {
  await stopLauncher();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Row count of every table, the signed minutes among them. */
async function snapshot(url: string) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (
      await c.query<{ t: string }>(
        `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
      )
    ).rows.map((r) => r.t);
    const counts: Record<string, number> = {};
    for (const t of tables)
      counts[t] = Number((await c.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n);
    const signed = Number(
      (await c.query(`SELECT count(*) AS n FROM minutes WHERE status = 'signed'`)).rows[0].n,
    );
    return { counts, signed };
  } finally {
    await c.end();
  }
}

it('backup → wipe → restore gives back every row and file; signed minutes stay immutable', async () => {
  const [api, sfu, rtc, web, pg] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SKIP_BUILD: 'true',
    CAUNOI_DATA_DIR: dataDir,
    PORT: String(api),
    SFU_PORT: String(sfu),
    SFU_RTC_PORT: String(rtc),
    SFU_WORKERS: '1',
    WEB_PORT: String(web),
    EMBEDDED_PG_PORT: String(pg),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_MIGRATION_URL;
  await startLauncher(env);

  // Real data through the product: the golden path (without its WebRTC part).
  const seed = spawnSync(process.execPath, [path.join(root, 'tools/acceptance/golden-path.mjs')], {
    cwd: root,
    env: { ...process.env, API_BASE_URL: `http://127.0.0.1:${api}`, ACCEPTANCE_MEDIA: 'false' },
    encoding: 'utf8',
    timeout: 150_000,
  });
  // Without its WebRTC part the golden path misses what only media produces (a join's audit
  // row): what this drill needs is the data it wrote, checked below.
  expect(seed.status === 0 || /PASS/.test(seed.stdout)).toBe(true);
  const url = `postgres://postgres:postgres@127.0.0.1:${pg}/caunoi`;
  const attachments = path.join(dataDir, 'attachments');
  const before = await snapshot(url);
  const files = hashTree(attachments);
  expect(before.signed).toBeGreaterThan(0);
  expect(before.counts.attachments).toBeGreaterThan(0);
  expect(Object.keys(files).length).toBeGreaterThan(0);

  // npm run backup, while the system runs.
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(root, 'tools/backup.mjs'), ...args], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
  const b = cli('backup');
  expect({ status: b.status, err: b.stderr }).toEqual({ status: 0, err: '' });
  await stopLauncher();

  // Disaster: database and files gone.
  fs.rmSync(path.join(dataDir, 'postgres'), { recursive: true, force: true });
  fs.rmSync(attachments, { recursive: true, force: true });

  const r = cli('restore');
  expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: '' });
  // The restored system starts as usual (its database is not empty: no demo seed runs).
  await startLauncher(env);
  try {
    expect(await snapshot(url)).toEqual(before);
    expect(hashTree(attachments)).toEqual(files);
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      await expect(
        c.query(`UPDATE minutes SET summary = 'sửa' WHERE status = 'signed'`),
      ).rejects.toThrow(/immutable/);
    } finally {
      await c.end();
    }
  } finally {
    await stopLauncher();
  }
}, 400_000);
