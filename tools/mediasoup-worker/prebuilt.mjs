// A worker binary: checking that it runs, installing it into the package, and mediasoup's upstream
// prebuilt (downloaded with a short timeout).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { log, sha256, warn } from './common.mjs';

const DOWNLOAD_TIMEOUT_MS = 60_000;

// Same naming as mediasoup's npm-scripts.mjs getWorkerPrebuildTarName().
export function prebuiltTarName(version) {
  let name = `mediasoup-worker-${version}-${os.platform()}-${os.arch()}`;
  if (os.platform() === 'linux') name += `-kernel${Number(os.release().split('.')[0])}`;
  return `${name}.tgz`;
}

// Returns null when the binary loads its shared libraries and starts, else a
// reason. Run without MEDIASOUP_VERSION the worker exits with code 41 at once
// (the same check mediasoup's own postinstall does on a downloaded prebuilt).
export function checkWorker(bin) {
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    return 'not executable';
  }
  const ldd = spawnSync('ldd', [bin], { encoding: 'utf8', timeout: 10_000 });
  if (ldd.status === 0) {
    const missing = ldd.stdout.split('\n').filter((l) => l.includes('not found'));
    if (missing.length)
      return `missing shared libraries: ${missing.map((l) => l.trim().split(' ')[0]).join(', ')}`;
  }
  const run = spawnSync(bin, [], { env: {}, stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  if (run.error) return `cannot execute: ${run.error.message}`;
  if (run.status !== 41) {
    const why = run.signal ? `signal ${run.signal}` : `exit code ${run.status}`;
    return `${why} instead of 41: ${String(run.stderr ?? '')
      .trim()
      .split('\n')
      .slice(-2)
      .join(' | ')}`;
  }
  return null;
}

export function installIntoPackage(bin, target, markerFile, how) {
  const binHash = sha256(fs.readFileSync(bin));
  if (fs.existsSync(target) && fs.existsSync(markerFile)) {
    try {
      const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
      if (marker.sha256 === binHash && sha256(fs.readFileSync(target)) === binHash) return;
    } catch {
      // rewrite below
    }
  }
  // A copy rather than a symlink: node_modules stays valid when copied into
  // an image without the cache.
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  fs.copyFileSync(bin, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, target);
  fs.writeFileSync(
    markerFile,
    `${JSON.stringify({ source: bin, how, sha256: binHash }, null, 2)}\n`,
  );
}

export async function downloadPrebuilt(version, tarName, dest) {
  const base =
    process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
    'https://github.com/versatica/mediasoup/releases/download';
  const url = `${base}/${version}/${tarName}`;
  log(`trying upstream prebuilt ${url} (timeout ${DOWNLOAD_TIMEOUT_MS / 1000} s)`);
  let body;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!res.ok) {
      log(`no prebuilt: HTTP ${res.status}`);
      return false;
    }
    body = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    log(`no prebuilt: ${err.cause?.code || err.name}: ${err.cause?.message || err.message}`);
    return false;
  }
  let file;
  try {
    file = extractSingleFile(gunzipSync(body), 'mediasoup-worker');
  } catch (err) {
    warn(`prebuilt archive unreadable: ${err.message}`);
    return false;
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, file, { mode: 0o755 });
  const problem = checkWorker(tmp);
  if (problem) {
    fs.rmSync(tmp, { force: true });
    warn(`downloaded prebuilt does not run here (${problem}); building instead`);
    return false;
  }
  fs.renameSync(tmp, dest);
  return true;
}

// Minimal ustar reader: returns the contents of the entry named `name`.
function extractSingleFile(tar, name) {
  for (let off = 0; off + 512 <= tar.length;) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, len) =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const entryName = (field(345, 155) ? `${field(345, 155)}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const dataStart = off + 512;
    if ((type === '0' || type === '\0') && path.posix.basename(entryName) === name) {
      return tar.subarray(dataStart, dataStart + size);
    }
    off = dataStart + Math.ceil(size / 512) * 512;
  }
  throw new Error(`no ${name} in archive`);
}
