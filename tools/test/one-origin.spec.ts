// The one origin of apps/web/server/serve.mjs: which upstream each path reaches (REST and the
// collaboration socket to the API, /sfu/socket.io to the SFU's own /socket.io, websocket
// upgrades included), and the built client's precompressed assets with their caching headers.
// The whole product through this origin is tools/test/acceptance.spec.ts.
import { spawn, ChildProcess } from 'child_process';
import fs from 'fs';
import http from 'http';
import net from 'net';
import path from 'path';
import zlib from 'zlib';
import { Server } from 'socket.io';
import { io as connect, Socket } from 'socket.io-client';
import { freePort } from '@caunoi/test-support';

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'apps/web/dist');

/** A stand-in upstream: answers HTTP with its name and the path it saw, and runs socket.io. */
function upstream(name: string): Promise<{ port: number; close: () => void }> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name, path: req.url, proto: req.headers['x-forwarded-proto'] }));
  });
  const ioServer = new Server(server);
  const answer = (socket: { on: (e: string, f: (cb: (v: unknown) => void) => void) => void }) =>
    socket.on('whoami', (cb) => cb(name));
  ioServer.on('connection', answer);
  ioServer.of('/collab').on('connection', answer);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => {
          ioServer.close();
          server.close();
        },
      }),
    ),
  );
}

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}

let web: ChildProcess;
let base: string;
const ups: { port: number; close: () => void }[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(dist, 'index.html')))
    throw new Error('apps/web/dist is missing: build first (npx nx run web:build)');
  const [api, sfu] = [await upstream('api'), await upstream('sfu')];
  ups.push(api, sfu);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = spawn(process.execPath, [path.join(root, 'apps/web/server/serve.mjs')], {
    env: {
      ...process.env,
      WEB_DIST: dist,
      WEB_PORT: String(port),
      HOST: '127.0.0.1',
      API_URL: `http://127.0.0.1:${api.port}`,
      SFU_INTERNAL_URL: `http://127.0.0.1:${sfu.port}`,
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      await get(`${base}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('web server did not start');
});

afterAll(() => {
  web?.kill();
  for (const u of ups) u.close();
});

describe('routing through one port', () => {
  it.each([
    ['/api/auth/me', 'api', '/api/auth/me'],
    ['/api', 'api', '/api'],
    ['/health/ready', 'api', '/health/ready'],
    ['/socket.io/?EIO=4&transport=polling', 'api', '/socket.io/?EIO=4&transport=polling'],
    ['/sfu/socket.io/?EIO=4&transport=polling', 'sfu', '/socket.io/?EIO=4&transport=polling'],
  ])('%s reaches the %s as %s', async (url, name, seen) => {
    const res = await get(base + url);
    if (url.includes('socket.io')) {
      // socket.io's own handshake answer (engine.io open packet) proves the upstream served it.
      expect(res.status).toBe(200);
      expect(res.body.toString()).toMatch(/^0\{"sid"/);
      return;
    }
    expect(JSON.parse(res.body.toString())).toEqual({ name, path: seen, proto: 'http' });
  });

  it('does not publish other SFU paths (metrics, health) on the public origin', async () => {
    const res = await get(`${base}/sfu/metrics`);
    expect(res.headers['content-type']).toContain('text/html'); // the client's SPA fallback
  });

  it('carries websocket upgrades to the collaboration namespace and to SFU signalling', async () => {
    const ask = async (socket: Socket) => {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const who = await socket.timeout(5000).emitWithAck('whoami');
      socket.close();
      return who;
    };
    const opts = { transports: ['websocket'], reconnection: false, forceNew: true };
    expect(await ask(connect(`${base}/collab`, opts))).toBe('api');
    expect(await ask(connect(base, { ...opts, path: '/sfu/socket.io' }))).toBe('sfu');
  });

  it('answers 502 naming the SFU when it is down', async () => {
    ups[1].close();
    await new Promise((r) => setTimeout(r, 200));
    const res = await get(`${base}/sfu/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body.toString())).toMatchObject({ statusCode: 502, message: /SFU/ });
  });
});

describe('precompressed static assets', () => {
  let script: string;
  beforeAll(async () => {
    const index = (await get(`${base}/`)).body.toString();
    script = /src="(\/assets\/index-[^"]+\.js)"/.exec(index)![1];
  });

  it('sends the brotli copy to a browser that accepts it, gzip to one that accepts only gzip', async () => {
    const plain = await get(base + script);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(10_000);
    const br = await get(base + script, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await get(base + script, { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    for (const r of [plain, br, gz]) {
      expect(r.headers['content-type']).toMatch(/^text\/javascript/);
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(r.headers['content-length']).toBe(String(r.body.length));
    }
  });

  it('hashed assets are immutable, the index is revalidated (ETag, 304)', async () => {
    const asset = await get(base + script, { 'accept-encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const index = await get(`${base}/sessions/123/room`);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body.toString()).toContain('<div id="root">');
    const again = await get(`${base}/`, { 'if-none-match': String(index.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('ships no source maps unless WEB_SOURCEMAP=true', () => {
    const files = fs.readdirSync(path.join(dist, 'assets'));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(fs.readFileSync(path.join(dist, script), 'utf8')).not.toContain('sourceMappingURL');
  });
});
