#!/usr/bin/env node
// `npm run backup` / `npm run restore [folder]`: the embedded default's database and attachments
// (tools/lib/backup.mjs). Backup runs while `npm start` runs (or starts the database itself);
// restore needs `npm start` stopped and takes the newest backup unless a folder is given.
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from './lib/embedded-db.mjs';
import { backup, restore } from './lib/backup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const dataDir = path.resolve(env.CAUNOI_DATA_DIR ?? path.join(root, '.data'));
const port = Number(env.EMBEDDED_PG_PORT ?? 5433);
const pgDir = path.join(dataDir, 'postgres');
const attachmentsDir = path.resolve(env.ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments'));
const backupDir = path.resolve(env.BACKUP_DIR ?? path.join(dataDir, 'backups'));
const log = (m) => console.log(`[backup] ${m}`);

const running = () =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

async function main(command, arg) {
  if (env.DATABASE_URL)
    throw new Error(
      'DATABASE_URL is set: back up that server with its own tools (docs/deployment.md)',
    );
  if (command === 'backup') {
    let stop = async () => {};
    if (!(await running())) {
      const db = await startEmbeddedPostgres({ dir: pgDir, port, database: 'caunoi', log });
      stop = db.stop;
    }
    try {
      fs.mkdirSync(backupDir, { recursive: true, mode: 0o700 });
      const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
      console.log(
        await backup({
          url,
          pgDir,
          attachmentsDir,
          backupDir,
          keep: Number(env.BACKUP_KEEP ?? 14),
          log,
        }),
      );
    } finally {
      await stop();
    }
  } else if (command === 'restore') {
    if (await running()) throw new Error(`PostgreSQL is running on ${port}: stop npm start first`);
    const from =
      arg ??
      path.join(
        backupDir,
        fs
          .readdirSync(backupDir)
          .filter((n) => n.startsWith('caunoi-'))
          .sort()
          .at(-1) ?? '',
      );
    restore({ from: path.resolve(from), pgDir, attachmentsDir, log });
    // Start once now: PostgreSQL replays the backup's WAL and reports any problem here.
    const db = await startEmbeddedPostgres({ dir: pgDir, port, database: 'caunoi', log });
    await db.stop();
    log('database recovered; start the system with npm start');
  } else throw new Error('usage: node tools/backup.mjs backup | restore [folder]');
}

main(process.argv[2], process.argv[3]).catch((err) => {
  console.error(`[backup] ${err.message}`);
  process.exit(1);
});
