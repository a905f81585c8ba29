// The web origin's security headers: what the Node web server sends on the page, and that
// deploy/nginx.conf sends the same Content-Security-Policy (one policy, two servers).
import { execFileSync, spawn, ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { freePort } from '@caunoi/test-support';

const root = path.resolve(__dirname, '../..');
let server: ChildProcess;
let base: string;
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-web-csp-'));

async function page(): Promise<Response> {
  for (let i = 0; i < 50; i++) {
    try {
      return await fetch(base + '/');
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('web server did not answer');
}

beforeAll(async () => {
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Cầu Nối</title>');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(root, 'apps/web/server/serve.mjs')], {
    env: {
      ...process.env,
      WEB_DIST: dist,
      WEB_PORT: String(port),
      HOST: '127.0.0.1',
      API_URL: 'http://127.0.0.1:9',
      SFU_PUBLIC_URL: 'http://localhost:4000',
      CSP_CONNECT_SRC: '',
    },
    stdio: 'ignore',
  });
});

afterAll(() => {
  server.kill();
  fs.rmSync(dist, { recursive: true, force: true });
});

it('the page carries a strict CSP, no framing, no referrer; HSTS only over TLS', async () => {
  const res = await page();
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  // the SFU's own origin (no PUBLIC_URL) is the only other place the page may connect to
  expect(csp).toContain("connect-src 'self' http://localhost:4000 ws://localhost:4000");
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('strict-transport-security')).toBeNull();
});

it('nginx sends the same policy and headers on the page', () => {
  // The module is ESM: ask a Node process for the policy with no SFU origin (nginx: one origin).
  const policy = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { contentSecurityPolicy } from ${JSON.stringify(path.join(root, 'apps/web/server/security-headers.mjs'))};
       process.stdout.write(contentSecurityPolicy({}));`,
    ],
    { encoding: 'utf8' },
  );
  expect(policy).toContain("default-src 'self'");
  const conf = fs.readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');
  expect(conf).toContain(`add_header Content-Security-Policy "${policy}" always;`);
  expect(conf).toContain('add_header Referrer-Policy no-referrer always;');
  expect(conf).toContain('add_header X-Frame-Options DENY always;');
});
