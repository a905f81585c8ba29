import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './poll';
import { freePort } from '@caunoi/test-support';

export interface Coturn {
  url: string;
  secret: string;
  /** Everything coturn logged so far (allocations, refusals). */
  log(): string;
  close(): Promise<void>;
}

/**
 * A real coturn (Debian's `turnserver`) on 127.0.0.1 with a static auth secret (TURN REST API
 * credentials). Loopback peers are allowed here because the SFU under test listens on 127.0.0.1;
 * a deployment denies private and loopback peers (docs/deployment.md).
 */
export async function startCoturn(): Promise<Coturn> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-coturn-'));
  const port = await freePort();
  const relayBase = await freePort(201);
  const secret = randomBytes(24).toString('hex');
  let out = '';
  const child: ChildProcess = spawn(
    'turnserver',
    [
      '-n',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${relayBase}`,
      `--max-port=${relayBase + 200}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=caunoi.test',
      '--allow-loopback-peers',
      '--fingerprint',
      '--log-file=stdout',
      '--simple-log',
      `--pidfile=${path.join(dir, 'turnserver.pid')}`,
      `--userdb=${path.join(dir, 'turndb')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`turnserver exited: ${out.slice(-2000)}`);
      return new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
    },
    { timeoutMs: 15_000, message: () => `turnserver not listening: ${out.slice(-2000)}` },
  );
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    log: () => out,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
