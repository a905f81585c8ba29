// The compose deployment's scheduled backup script, run for real against PostgreSQL: one pass
// writes a restorable custom-format dump and a tar of the attachment store, atomically named.
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';

const root = path.resolve(__dirname, '../..');
const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0;

(hasPgDump ? it : it.skip)(
  'one pass dumps the database and the attachments, restorably',
  async () => {
    const db = `caunoi_backup_${process.pid}`;
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-compose-backup-'));
    try {
      const u = new URL(server);
      const c = new Client({
        connectionString: Object.assign(new URL(server), { pathname: `/${db}` }).toString(),
      });
      await c.connect();
      await c.query(
        `CREATE TABLE minutes (id int PRIMARY KEY, text text); INSERT INTO minutes VALUES (1, 'biên bản')`,
      );
      await c.end();
      const files = path.join(tmp, 'store', 'attachments');
      fs.mkdirSync(path.join(files, 'ab'), { recursive: true });
      fs.writeFileSync(path.join(files, 'ab', 'abcdef'), 'sealed bytes');
      const out = execFileSync('sh', [path.join(root, 'deploy/backup/backup-loop.sh')], {
        env: {
          ...process.env,
          PGHOST: u.hostname,
          PGPORT: u.port || '5432',
          PGUSER: decodeURIComponent(u.username) || 'postgres',
          PGPASSWORD: decodeURIComponent(u.password),
          PGDATABASE: db,
          BACKUP_DIR: path.join(tmp, 'backups'),
          ATTACHMENTS_DIR: files,
          BACKUP_ONCE: 'true',
        },
        encoding: 'utf8',
      });
      expect(out).toMatch(/backup \d{8}T\d{6}Z complete/);
      const [stamp] = fs.readdirSync(path.join(tmp, 'backups'));
      expect(stamp).toMatch(/^\d{8}T\d{6}Z$/);
      const dir = path.join(tmp, 'backups', stamp);
      const list = execFileSync('pg_restore', ['--list', path.join(dir, 'database.dump')], {
        encoding: 'utf8',
      });
      expect(list).toMatch(/TABLE DATA public minutes/);
      const tar = execFileSync('tar', ['-tf', path.join(dir, 'attachments.tar')], {
        encoding: 'utf8',
      });
      expect(tar.split('\n')).toContain('attachments/ab/abcdef');
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
);
