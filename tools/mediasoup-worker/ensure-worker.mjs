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
// Plain Node ESM, built-ins only; Node >= 20. The steps live next to this file:
// packages.mjs (where mediasoup is), prebuilt.mjs (check, install, download),
// build.mjs (build from source), common.mjs (logging, command line).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFromSource } from './build.mjs';
import { envOn, Fatal, fail, flag, HERE, log, sha256, TAG, warn } from './common.mjs';
import { findMediasoupPackages } from './packages.mjs';
import { checkWorker, downloadPrebuilt, installIntoPackage, prebuiltTarName } from './prebuilt.mjs';

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
