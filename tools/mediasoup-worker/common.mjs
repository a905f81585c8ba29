// Shared by the mediasoup-worker scripts: logging, failure, the command line and small helpers.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TAG = '[mediasoup-worker]';
export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');

const argv = process.argv.slice(2);
export const flag = (name) => argv.includes(name);
export const argValue = (name) => {
  const i = argv.indexOf(name);
  if (i !== -1 && argv[i + 1]) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq ? eq.slice(name.length + 1) : undefined;
};
export const envOn = (name) =>
  ['1', 'true', 'yes'].includes(String(process.env[name] ?? '').toLowerCase());

export const log = (msg) => console.log(`${TAG} ${msg}`);
export const warn = (msg) => console.warn(`${TAG} ${msg}`);

/** A failure with a message for the person installing (no stack trace). */
export class Fatal extends Error {}
export const fail = (msg) => {
  throw new Fatal(msg);
};

export function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}
