// The web server must survive files vanishing under it (a rebuild of dist/ while `npm start`
// runs): it answers an error status and keeps serving, instead of crashing the whole stack.
import { spawn, ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { freePort } from '@caunoi/test-support';

const root = path.resolve(__dirname, '../..');
let server: ChildProcess;
let base: string;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-web-dist-'));

async function get(p: string): Promise<number> {
  for (let i = 0; i < 50; i++) {
    try {
      return (await fetch(base + p)).status;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('web server did not answer');
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(root, 'apps/web/server/serve.mjs')], {
    env: {
      ...process.env,
      WEB_DIST: dist,
      WEB_PORT: String(port),
      HOST: '127.0.0.1',
      API_URL: 'http://127.0.0.1:9',
    },
    stdio: 'ignore',
  });
});

afterAll(() => {
  server.kill();
  fs.rmSync(dist, { recursive: true, force: true });
});

it('answers an error for a missing index.html and keeps serving once it is back', async () => {
  expect(await get('/')).toBeGreaterThanOrEqual(400);
  expect(await get('/consultations/123')).toBeGreaterThanOrEqual(400);
  expect(server.exitCode).toBeNull();
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Cầu Nối</title>');
  expect(await get('/')).toBe(200);
  expect(await get('/consultations/123')).toBe(200);
});
