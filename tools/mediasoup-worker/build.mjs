// Building the worker from the package's sources + our patch against Debian packages (offline:
// meson never downloads).

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fail, log, TAG } from './common.mjs';

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

export async function buildFromSource({ pkgDir, version, patchFile, buildKey, builtBin }) {
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
