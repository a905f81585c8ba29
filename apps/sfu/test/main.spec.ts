/**
 * The process entry (src/main.ts) as a child process: bad environment → exit 78 naming the
 * variable; good environment → /health answers; SIGTERM → clean exit. main.ts is bundled with
 * esbuild (node_modules stay external) so the test needs no prior build.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { createTokenIssuer } from './support/tokens';
import { waitFor } from './support/poll';

describe('main.ts as a process', () => {
  let entry: string;
  const issuer = createTokenIssuer();

  beforeAll(async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'caunoi-sfu-main-'));
    entry = path.join(out, 'main.js');
    await build({
      entryPoints: [path.join(__dirname, '../src/main.ts')],
      bundle: true,
      platform: 'node',
      target: 'node22',
      packages: 'external',
      alias: { '@caunoi/shared': path.join(__dirname, '../../../libs/shared/src/index.ts') },
      outfile: entry,
      logLevel: 'silent',
    });
  });

  const run = (env: Record<string, string>) => {
    const child = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_PATH: path.join(__dirname, '../../../node_modules'),
        ...workerBin(),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    return { child, exited, out: () => stdout, err: () => stderr };
  };

  it('exits 78 and names the bad variable', async () => {
    const p = run({ SFU_WORKERS: 'many', JOIN_TOKEN_PUBLIC_KEY: issuer.publicPem });
    expect(await p.exited).toBe(78);
    expect(p.err()).toMatch(/SFU_WORKERS:/);
    const q = run({});
    expect(await q.exited).toBe(78);
    expect(q.err()).toMatch(/JOIN_TOKEN_PUBLIC_KEY:/);
  });

  it('starts, serves /health and stops on SIGTERM', async () => {
    const p = run({
      SFU_PORT: '0',
      SFU_HOST: '127.0.0.1',
      SFU_RTC_PORT: '0',
      SFU_LISTEN_IP: '127.0.0.1',
      SFU_WORKERS: '1',
      JOIN_TOKEN_PUBLIC_KEY: issuer.publicPem,
    });
    try {
      // Port 0: the bound port is in the "SFU listening" log line.
      const port = await waitFor(
        () =>
          p
            .out()
            .split('\n')
            .filter((l) => l.includes('SFU listening'))
            .map((l) => JSON.parse(l).port as number)[0],
        {
          timeoutMs: 20_000,
          message: () => `SFU did not start; stderr: ${p.err()} stdout: ${p.out()}`,
        },
      );
      const health = await waitFor(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/health`);
          return res.ok && (await res.json());
        },
        { timeoutMs: 20_000, message: () => `no /health; stderr: ${p.err()} stdout: ${p.out()}` },
      );
      expect(health).toMatchObject({ status: 'ok', workers: { alive: 1, total: 1 }, rooms: 0 });
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect([ready.status, await ready.json()]).toMatchObject([200, { status: 'ready' }]);
      // JSON logs, one object per line.
      const first = JSON.parse(p.out().split('\n')[0]!);
      expect(first).toMatchObject({ service: 'sfu', level: 30 });
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exited).toBe(0);
  });
});

/** Pass the worker binary the test setup found (if any) to the child. */
function workerBin(): Record<string, string> {
  return process.env.MEDIASOUP_WORKER_BIN
    ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN }
    : {};
}
