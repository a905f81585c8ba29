// A fresh PostgreSQL database per benchmark run, dropped at the end. Uses the server at
// BENCH_DATABASE_URL / TEST_DATABASE_URL / postgres://postgres@127.0.0.1:5432 when reachable, else
// an embedded PostgreSQL (root node_modules) in a temporary directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from '@caunoi/test-support';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function reachable(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => {});
  try {
    await c.connect();
    const { rows } = await c.query('SHOW server_version');
    await c.end();
    return rows[0].server_version;
  } catch {
    return null;
  }
}

async function adminQuery(url, sql) {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Returns { url, serverUrl, version, kind, drop() }. */
export async function freshDatabase(prefix, log = console.log) {
  const candidate = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_URL;
  let serverUrl = withDatabase(candidate, 'postgres');
  let version = await reachable(serverUrl);
  let stopEmbedded = async () => {};
  let kind = 'server';
  if (!version) {
    log(`[db] ${new URL(serverUrl).host} unreachable: starting an embedded PostgreSQL`);
    const { startEmbeddedPostgres } = await import('../../tools/lib/embedded-db.mjs');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-bench-pg-'));
    const port = await freePort();
    const db = await startEmbeddedPostgres({
      dir: path.join(dir, 'data'),
      port,
      database: 'postgres',
      log,
    });
    serverUrl = db.url;
    version = await reachable(serverUrl);
    kind = 'embedded';
    stopEmbedded = async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  return {
    url: withDatabase(serverUrl, name),
    serverUrl,
    name,
    version,
    kind,
    async drop() {
      try {
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await stopEmbedded();
      }
    },
  };
}
