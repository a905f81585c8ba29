// Several API instances behind the one origin of apps/web/server/serve.mjs: `/api` requests go
// round-robin to the instances in API_URL, the collaboration socket's requests stick to one
// instance per client address, and an instance that is down is left out after one 502.
import { spawn, ChildProcess } from 'child_process';
import fs from 'fs';
import http from 'http';
import net from 'net';
import os from 'os';
import path from 'path';
import { freePort } from '@caunoi/test-support';

const root = path.resolve(__dirname, '../..');

/** A stand-in API instance: answers with its name. */
function instance(name: string): Promise<{ port: number; close: () => void }> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name, path: req.url }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => server.close(),
      }),
    ),
  );
}

async function get(url: string): Promise<{ status: number; name?: string }> {
  const res = await fetch(url);
  const body = (await res.json()) as { name?: string };
  return { status: res.status, name: body.name };
}

let web: ChildProcess;
let base: string;
let dist: string;
const instances: { port: number; close: () => void }[] = [];
let downPort: number;

beforeAll(async () => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-balancing-'));
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Cầu Nối</title>');
  instances.push(await instance('api-1'), await instance('api-2'));
  downPort = await freePort(); // a third instance that is not running
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = spawn(process.execPath, [path.join(root, 'apps/web/server/serve.mjs')], {
    env: {
      ...process.env,
      WEB_DIST: dist,
      WEB_PORT: String(port),
      HOST: '127.0.0.1',
      API_URL: instances.map((i) => `http://127.0.0.1:${i.port}`).join(','),
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${base}/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('web server did not start');
});

afterAll(() => {
  web?.kill();
  for (const i of instances) i.close();
  fs.rmSync(dist, { recursive: true, force: true });
});

it('balances /api requests over the instances in API_URL', async () => {
  const names = [];
  for (let i = 0; i < 6; i++) names.push((await get(`${base}/api/health`)).name);
  expect(names.filter((n) => n === 'api-1')).toHaveLength(3);
  expect(names.filter((n) => n === 'api-2')).toHaveLength(3);
});

it("keeps one client's collaboration socket requests on one instance", async () => {
  const names = new Set();
  for (let i = 0; i < 6; i++)
    names.add((await get(`${base}/socket.io/?EIO=4&transport=polling&n=${i}`)).name);
  expect(names.size).toBe(1);
});

it('leaves out an instance that refuses connections after its first 502', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const other = spawn(process.execPath, [path.join(root, 'apps/web/server/serve.mjs')], {
    env: {
      ...process.env,
      WEB_DIST: dist,
      WEB_PORT: String(port),
      HOST: '127.0.0.1',
      API_URL: `http://127.0.0.1:${downPort},http://127.0.0.1:${instances[0].port}`,
    },
    stdio: 'ignore',
  });
  try {
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${url}/`).then(
        () => true,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(`${url}/api/health`)).status);
    expect(statuses.filter((s) => s === 502).length).toBeLessThanOrEqual(1);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(5);
  } finally {
    other.kill();
  }
});
