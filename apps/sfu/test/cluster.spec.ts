/**
 * An SFU process as one node of several: it announces itself in a real Redis (address, region,
 * load) and renews the key on every heartbeat; SIGUSR2 drains it; SIGTERM removes the key at
 * once; after kill -9 the key expires by itself. main.ts is bundled with esbuild as in main.spec.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import Redis from 'ioredis';
import {
  SFU_HEARTBEAT_TTL_MS,
  sfuNodeKey,
  SfuNodeAnnouncementSchema,
  type SfuNodeAnnouncement,
} from '@caunoi/shared';
import { createTokenIssuer } from './support/tokens';
import { waitFor } from './support/poll';

const REDIS_URL = process.env.REDIS_URL_TEST || 'redis://127.0.0.1:6379';

describe('SFU node announcement in Redis', () => {
  let entry: string;
  let redis: Redis;
  const issuer = createTokenIssuer();
  const prefix = `caunoi-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping(); // this suite needs Redis (REDIS_URL_TEST)
    const out = mkdtempSync(path.join(os.tmpdir(), 'caunoi-sfu-cluster-'));
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
  afterAll(() => redis?.disconnect());

  const start = (nodeId: string) => {
    const child = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_PATH: path.join(__dirname, '../../../node_modules'),
        ...(process.env.MEDIASOUP_WORKER_BIN
          ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN }
          : {}),
        SFU_PORT: '0',
        SFU_HOST: '127.0.0.1',
        SFU_RTC_PORT: '0',
        SFU_LISTEN_IP: '127.0.0.1',
        SFU_WORKERS: '1',
        JOIN_TOKEN_PUBLIC_KEY: issuer.publicPem,
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        SFU_NODE_ID: nodeId,
        SFU_REGION: 'central',
        SFU_MAX_ROOMS: '7',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, exited, err: () => err };
  };
  const read = async (nodeId: string): Promise<SfuNodeAnnouncement | null> => {
    const raw = await redis.get(sfuNodeKey(prefix, nodeId));
    return raw ? SfuNodeAnnouncementSchema.parse(JSON.parse(raw)) : null;
  };

  it('announces itself with a TTL, drains on SIGUSR2 and leaves at once on SIGTERM', async () => {
    const p = start('node-a');
    try {
      const a = await waitFor(() => read('node-a'), {
        timeoutMs: 20_000,
        message: () => `no announcement; stderr: ${p.err()}`,
      });
      expect(a).toMatchObject({ id: 'node-a', region: 'central', workers: 1, maxRooms: 7 });
      expect(a).toMatchObject({ rooms: 0, peers: 0, draining: false });
      const port = new URL(a.url).port;
      expect(a.internalUrl).toBe(`http://127.0.0.1:${port}`);
      const health = await fetch(`${a.internalUrl}/health`);
      expect(health.status).toBe(200);
      const ttl = await redis.pttl(sfuNodeKey(prefix, 'node-a'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(SFU_HEARTBEAT_TTL_MS);
      // Renewed: a later beat carries a later time.
      const later = await waitFor(
        async () => {
          const b = await read('node-a');
          return b && b.at > a.at ? b : null;
        },
        { timeoutMs: 10_000, message: 'the announcement was not renewed' },
      );
      expect(later.startedAt).toBe(a.startedAt);
      p.child.kill('SIGUSR2');
      await waitFor(async () => (await read('node-a'))?.draining === true, {
        timeoutMs: 10_000,
        message: 'SIGUSR2 did not drain the node',
      });
    } finally {
      p.child.kill('SIGTERM');
    }
    expect(await p.exited).toBe(0);
    expect(await read('node-a')).toBeNull();
  });

  it('after kill -9 the announcement expires within the TTL', async () => {
    const p = start('node-b');
    await waitFor(() => read('node-b'), {
      timeoutMs: 20_000,
      message: () => `no announcement; stderr: ${p.err()}`,
    });
    const killedAt = Date.now();
    p.child.kill('SIGKILL');
    await p.exited;
    await waitFor(async () => (await read('node-b')) === null, {
      timeoutMs: SFU_HEARTBEAT_TTL_MS + 3_000,
      message: 'the dead node stayed announced',
    });
    process.stdout.write(
      `[measured] node gone from Redis ${Date.now() - killedAt} ms after kill -9\n`,
    );
  });
});
