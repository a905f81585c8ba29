// Child processes of a benchmark: started with a log file, waited for, always stopped.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sleep } from './stats.mjs';
import { freePort } from '@caunoi/test-support';

export { freePort };

const children = new Set();

export function startProcess(name, command, args, { env = {}, cwd, ipc = false } = {}) {
  const logFile = path.join(os.tmpdir(), `caunoi-bench-${name}-${process.pid}.log`);
  const out = fs.openSync(logFile, 'w');
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ipc ? ['ignore', out, out, 'ipc'] : ['ignore', out, out],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.logFile = logFile;
  child.tail = (n = 30) => {
    try {
      return fs.readFileSync(logFile, 'utf8').split('\n').slice(-n).join('\n');
    } catch {
      return '';
    }
  };
  return child;
}

/** Poll an HTTP URL until it answers (any status < 500) or the child exits. */
export async function waitForHttp(child, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${url}: process exited with ${child.exitCode}\n${child.tail()}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not yet */
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms\n${child.tail()}`);
}

export async function stopProcess(child, timeoutMs = 10_000) {
  if (!child || child.exitCode !== null || child.signalCode) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...children].map((c) => stopProcess(c)));
}
