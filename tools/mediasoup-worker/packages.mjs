// Where the mediasoup package(s) of this repository are installed.

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { argValue, fail, readJson, REPO_ROOT } from './common.mjs';

// The mediasoup package(s) this repo uses: the one resolved from the repo
// root, plus any non-hoisted copy inside a workspace (apps/*, libs/*, ...).
export function findMediasoupPackages() {
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
