#!/usr/bin/env node
// Makes sure the installed `mediasoup` package has a working mediasoup-worker
// binary without running mediasoup's own postinstall (which needs GitHub,
// PyPI and meson wrapdb). Run as the root package's postinstall.
//
// Order: $MEDIASOUP_WORKER_BIN -> cached local build -> cached upstream
// prebuilt -> a worker the package already has (placed by mediasoup's own
// postinstall) -> upstream prebuilt download (short timeout) -> build from the
// package's worker/ sources + mediasoup-<version>.patch against Debian
// packages. The chosen binary is copied to
// <mediasoup>/worker/out/Release/mediasoup-worker, where mediasoup looks for it.
//
// Environment:
//   CAUNOI_SKIP_MEDIASOUP_WORKER=1        do nothing (images without the SFU)
//   MEDIASOUP_WORKER_BIN=/path            use this binary
//   MEDIASOUP_PACKAGE_DIR=/path           mediasoup package root (or --package-dir)
//   CAUNOI_CACHE_DIR=/path                cache root (default ~/.cache/caunoi)
//   CAUNOI_MEDIASOUP_WORKER_REBUILD=1     ignore caches, build again (or --rebuild)
//   CAUNOI_MEDIASOUP_WORKER_NO_DOWNLOAD=1 never try the upstream prebuilt
//     (MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD=1 works too; or --no-download)
//   CAUNOI_MEDIASOUP_WORKER_JOBS=N        ninja -j N
//
// Plain Node ESM, built-ins only; Node >= 20.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const TAG = '[mediasoup-worker]';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const DOWNLOAD_TIMEOUT_MS = 60_000;

// Debian packages needed to build (runtime libraries come with the -dev ones).
const BUILD_PACKAGES = [
  'g++',
  'patch',
  'meson',
  'ninja-build',
  'pkg-config',
  'libuv1-dev',
  'libssl-dev',
  'libsrtp2-dev',
  'libusrsctp-dev',
  'libabsl-dev',
  'libflatbuffers-dev',
  'flatbuffers-compiler',
];

const MESON_OPTIONS = [
  '--wrap-mode=nodownload',
  '--buildtype=release',
  '-Db_ndebug=true',
  '-Dms_disable_liburing=true',
];

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const argValue = (name) => {
  const i = argv.indexOf(name);
  if (i !== -1 && argv[i + 1]) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : undefined;
};
const envOn = (name) =>
  ['1', 'true', 'yes'].includes(String(process.env[name] ?? '').toLowerCase());

const log = (msg) => console.log(`${TAG} ${msg}`);
const warn = (msg) => console.warn(`${TAG} ${msg}`);

class Fatal extends Error {}
const fail = (msg) => {
  throw new Fatal(msg);
};

main().then(
  (code) => process.exit(code ?? 0),
  (err) => {
    if (err instanceof Fatal) {
      console.error(`${TAG} ERROR: ${err.message}`);
    } else {
      console.error(`${TAG} ERROR: unexpected failure:`, err);
    }
    process.exit(1);
  },
);

async function main() {
  if (envOn('CAUNOI_SKIP_MEDIASOUP_WORKER')) {
    log('CAUNOI_SKIP_MEDIASOUP_WORKER is set, skipping');
    return 0;
  }

  const pkgDirs = findMediasoupPackages();
  if (pkgDirs.length === 0) {
    log('mediasoup is not installed here, nothing to do');
    return 0;
  }
  for (const pkgDir of pkgDirs) await ensureFor(pkgDir);
  return 0;
}

async function ensureFor(pkgDir) {
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const target = path.join(pkgDir, 'worker', 'out', 'Release', 'mediasoup-worker');
  const rebuild = flag('--rebuild') || envOn('CAUNOI_MEDIASOUP_WORKER_REBUILD');
  const noDownload =
    flag('--no-download') ||
    envOn('CAUNOI_MEDIASOUP_WORKER_NO_DOWNLOAD') ||
    envOn('MEDIASOUP_SKIP_WORKER_PREBUILT_DOWNLOAD');

  const patchFile = path.join(HERE, `mediasoup-${version}.patch`);
  const patchText = fs.existsSync(patchFile) ? fs.readFileSync(patchFile) : null;
  const cacheRoot = path.join(
    process.env.CAUNOI_CACHE_DIR || path.join(os.homedir(), '.cache', 'caunoi'),
    'mediasoup-worker',
  );
  const buildKey = patchText ? `${version}-${sha256(patchText).slice(0, 12)}` : null;
  const builtBin = buildKey ? path.join(cacheRoot, buildKey, 'mediasoup-worker') : null;
  const prebuiltName = prebuiltTarName(version);
  // e.g. 3.19.3-prebuilt-linux-x64-kernel6
  const prebuiltKey = `${version}-prebuilt-${prebuiltName.slice(`mediasoup-worker-${version}-`.length, -'.tgz'.length)}`;
  const prebuiltBin = path.join(cacheRoot, prebuiltKey, 'mediasoup-worker');

  let chosen = null; // { bin, how }

  // 1. Explicit binary.
  const envBin = process.env.MEDIASOUP_WORKER_BIN;
  if (envBin) {
    if (fs.existsSync(envBin)) {
      const problem = checkWorker(envBin);
      if (problem) fail(`MEDIASOUP_WORKER_BIN=${envBin} does not run here: ${problem}`);
      chosen = { bin: path.resolve(envBin), how: 'MEDIASOUP_WORKER_BIN' };
    } else {
      warn(`MEDIASOUP_WORKER_BIN=${envBin} does not exist, ignoring it`);
    }
  }

  // 2./3. Caches (unless a rebuild is forced).
  if (!chosen && !rebuild) {
    for (const [bin, how] of [
      [builtBin, 'cached local build'],
      [prebuiltBin, 'cached upstream prebuilt'],
    ]) {
      if (!bin || !fs.existsSync(bin)) continue;
      const problem = checkWorker(bin);
      if (!problem) {
        chosen = { bin, how };
        break;
      }
      warn(`${how} ${bin} is unusable (${problem}); discarding it`);
      fs.rmSync(bin, { force: true });
    }
  }

  // 4. A worker the package got by other means (e.g. mediasoup's own
  //    postinstall was allowed and downloaded the prebuilt).
  const markerFile = `${target}.caunoi.json`;
  if (!chosen && !rebuild && fs.existsSync(target) && !fs.existsSync(markerFile)) {
    if (!checkWorker(target)) {
      log(`using the worker already inside the package: ${target}`);
      return;
    }
  }

  // 5. Upstream prebuilt (has no patch; fine: its bundled OpenSSL has no KTLS).
  if (!chosen && !rebuild && !noDownload) {
    if (await downloadPrebuilt(version, prebuiltName, prebuiltBin)) {
      chosen = { bin: prebuiltBin, how: 'upstream prebuilt (downloaded)' };
    }
  }

  // 6. Build from source.
  if (!chosen) {
    if (!patchText) {
      fail(
        `no patch for mediasoup ${version} (expected ${patchFile}); cannot build offline. ` +
          `Add that patch, or set MEDIASOUP_WORKER_BIN to a worker binary.`,
      );
    }
    await buildFromSource({ pkgDir, version, patchFile, buildKey, builtBin });
    const problem = checkWorker(builtBin);
    if (problem) fail(`freshly built worker ${builtBin} does not run: ${problem}`);
    chosen = { bin: builtBin, how: 'local build' };
  }

  installIntoPackage(chosen.bin, target, markerFile, chosen.how);
  const problem = checkWorker(target);
  if (problem) fail(`${target} does not run after install: ${problem}`);
  log(`mediasoup ${version}: using ${chosen.how} ${chosen.bin} -> ${target}`);
}

// The mediasoup package(s) this repo uses: the one resolved from the repo
// root, plus any non-hoisted copy inside a workspace (apps/*, libs/*, ...).
function findMediasoupPackages() {
  const explicit = argValue('--package-dir') || process.env.MEDIASOUP_PACKAGE_DIR;
  if (explicit) {
    const dir = path.resolve(explicit);
    if (readJson(path.join(dir, 'package.json'))?.name !== 'mediasoup') {
      fail(`${dir} is not a mediasoup package directory`);
    }
    return [dir];
  }
  const rootPkg = readJson(path.join(REPO_ROOT, 'package.json')) ?? {};
  const workspaces = Array.isArray(rootPkg.workspaces)
    ? rootPkg.workspaces
    : (rootPkg.workspaces?.packages ?? []);
  const from = [REPO_ROOT];
  for (const pattern of workspaces) {
    if (pattern.endsWith('/*')) {
      const parent = path.join(REPO_ROOT, pattern.slice(0, -2));
      if (!fs.existsSync(parent)) continue;
      for (const d of fs.readdirSync(parent, { withFileTypes: true })) {
        if (d.isDirectory()) from.push(path.join(parent, d.name));
      }
    } else if (!pattern.includes('*')) {
      from.push(path.join(REPO_ROOT, pattern));
    }
  }
  const found = new Set();
  for (const dir of from) {
    if (!fs.existsSync(path.join(dir, 'package.json'))) continue;
    const pkgDir = resolveMediasoupFrom(dir);
    if (pkgDir) found.add(fs.realpathSync(pkgDir));
  }
  return [...found];
}

function resolveMediasoupFrom(dir) {
  const require = createRequire(path.join(dir, 'package.json'));
  let entry;
  try {
    // mediasoup's "exports" does not expose ./package.json: resolve the main
    // entry and walk up to the package root.
    entry = require.resolve('mediasoup');
  } catch {
    return null;
  }
  for (let d = path.dirname(entry); d !== path.dirname(d); d = path.dirname(d)) {
    if (readJson(path.join(d, 'package.json'))?.name === 'mediasoup') return d;
  }
  return null;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

// Same naming as mediasoup's npm-scripts.mjs getWorkerPrebuildTarName().
function prebuiltTarName(version) {
  let name = `mediasoup-worker-${version}-${os.platform()}-${os.arch()}`;
  if (os.platform() === 'linux') name += `-kernel${Number(os.release().split('.')[0])}`;
  return `${name}.tgz`;
}

// Returns null when the binary loads its shared libraries and starts, else a
// reason. Run without MEDIASOUP_VERSION the worker exits with code 41 at once
// (the same check mediasoup's own postinstall does on a downloaded prebuilt).
function checkWorker(bin) {
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

function installIntoPackage(bin, target, markerFile, how) {
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

async function downloadPrebuilt(version, tarName, dest) {
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

function missingPackages() {
  const q = spawnSync(
    'dpkg-query',
    ['-W', '-f=${Package} ${db:Status-Status}\n', ...BUILD_PACKAGES],
    {
      encoding: 'utf8',
    },
  );
  if (q.error) return null; // not a Debian-like system: let meson tell
  const installed = new Set(
    q.stdout
      .split('\n')
      .filter((l) => l.endsWith(' installed'))
      .map((l) => l.split(' ')[0].replace(/:.*$/, '')),
  );
  return BUILD_PACKAGES.filter((p) => !installed.has(p));
}

function ensureBuildPackages(logFd) {
  const missing = missingPackages();
  if (!missing || missing.length === 0) return;
  const cmd = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    fail(
      `building the worker needs Debian packages that are missing: ${missing.join(' ')}\n` +
        `  run as root:  apt-get update && ${cmd}\n` +
        `  then run again: node tools/mediasoup-worker/ensure-worker.mjs` +
        `  (or set MEDIASOUP_WORKER_BIN to an existing worker binary)`,
    );
  }
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    fs.writeSync(logFd, `\n$ apt-get ${args.join(' ')}\n`);
    return (
      spawnSync('apt-get', args, { env: aptEnv, stdio: ['ignore', logFd, logFd] }).status === 0
    );
  };
  const listsEmpty =
    !fs.existsSync('/var/lib/apt/lists') ||
    !fs
      .readdirSync('/var/lib/apt/lists')
      .some((f) => f.endsWith('_Packages') || f.endsWith('_Packages.lz4'));
  log(`installing build packages: ${missing.join(' ')}`);
  let ok = false;
  if (!listsEmpty) ok = apt(['install', '-y', '--no-install-recommends', ...missing]);
  if (!ok) {
    if (!apt(['update'])) fail('apt-get update failed');
    ok = apt(['install', '-y', '--no-install-recommends', ...missing]);
  }
  if (!ok) fail(`apt-get install failed; try by hand: apt-get update && ${cmd}`);
  const still = missingPackages();
  if (still && still.length) fail(`still missing after apt-get: ${still.join(' ')}`);
}

function run(cmd, args, opts, logFd) {
  fs.writeSync(logFd, `\n$ ${[cmd, ...args].join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', logFd, logFd] });
    child.on('error', (err) => {
      fs.writeSync(logFd, `spawn failed: ${err.message}\n`);
      resolve(false);
    });
    child.on('close', (code) => resolve(code === 0));
  });
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function buildFromSource({ pkgDir, version, patchFile, buildKey, builtBin }) {
  const entryDir = path.dirname(builtBin);
  fs.mkdirSync(entryDir, { recursive: true });
  const logFile = path.join(entryDir, 'build.log');
  const logFd = fs.openSync(logFile, 'w');
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const failBuild = (msg, keepDir) => {
    fs.closeSync(logFd);
    console.error(`${TAG} ---- last lines of ${logFile} ----\n${tail(logFile, 40)}\n${TAG} ----`);
    fail(`${msg} (full log: ${logFile}${keepDir ? `; build tree kept at ${keepDir}` : ''})`);
  };

  log(`building the worker for mediasoup ${version} from source (≈6–10 min on 2 cores)`);
  log(`build log: ${logFile}`);
  try {
    ensureBuildPackages(logFd);
  } catch (err) {
    fs.closeSync(logFd);
    throw err;
  }

  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), `caunoi-mediasoup-worker-${buildKey}-`));
  const srcDir = path.join(tmpRoot, 'src');
  const buildDir = path.join(tmpRoot, 'build');
  fs.mkdirSync(srcDir);
  fs.cpSync(path.join(pkgDir, 'worker'), path.join(srcDir, 'worker'), {
    recursive: true,
    // Skip build outputs and downloads of a previous upstream postinstall.
    filter: (p) =>
      !['out', 'prebuild', 'pip_invoke'].includes(
        path.relative(path.join(pkgDir, 'worker'), p).split(path.sep)[0],
      ),
  });

  const hasPatch = spawnSync('patch', ['--version'], { stdio: 'ignore' }).status === 0;
  const patched = hasPatch
    ? await run('patch', ['-p1', '--batch', '--forward', '-i', patchFile], { cwd: srcDir }, logFd)
    : await run(
        'git',
        ['apply', '--verbose', patchFile],
        { cwd: srcDir, env: { ...process.env, GIT_CEILING_DIRECTORIES: tmpRoot } },
        logFd,
      );
  if (!patched) failBuild(`applying ${path.basename(patchFile)} failed`, tmpRoot);

  const heartbeat = setInterval(() => {
    const progress = tail(logFile, 1).match(/^\[(\d+\/\d+)\]/);
    log(`still building (${elapsed()}${progress ? `, ${progress[1]}` : ''})`);
  }, 60_000);
  try {
    const workerSrc = path.join(srcDir, 'worker');
    if (!(await run('meson', ['setup', buildDir, ...MESON_OPTIONS], { cwd: workerSrc }, logFd))) {
      failBuild('meson setup failed', tmpRoot);
    }
    const jobs = process.env.CAUNOI_MEDIASOUP_WORKER_JOBS;
    const ninjaArgs = ['-C', buildDir, ...(jobs ? ['-j', jobs] : []), 'mediasoup-worker'];
    if (!(await run('ninja', ninjaArgs, { cwd: workerSrc }, logFd))) {
      failBuild('ninja mediasoup-worker failed', tmpRoot);
    }
  } finally {
    clearInterval(heartbeat);
  }

  const out = path.join(buildDir, 'mediasoup-worker');
  const tmp = `${builtBin}.tmp-${process.pid}`;
  fs.copyFileSync(out, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, builtBin);
  fs.writeSync(logFd, `\nbuilt in ${elapsed()}\n`);
  fs.closeSync(logFd);
  fs.rmSync(tmpRoot, { recursive: true, force: true });
  log(`built in ${elapsed()}: ${builtBin}`);
}
