// The shipped TLS terminator and web configurations pass the servers' own checks: `caddy validate`
// on deploy/Caddyfile (ACME and internal CA), `nginx -t` on deploy/nginx.conf (the web container)
// and deploy/nginx-tls.conf (operator certificates, made here by the LAN-mode CA). Both binaries
// are installed on the build machines (Debian caddy, nginx).
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ensureLocalCa, ensureServerCertificate } from '../lib/tls.mjs';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-terminator-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** nginx -t on one server-level file, included the way the nginx image includes conf.d. */
function nginxTest(conf: string) {
  const dir = fs.mkdtempSync(path.join(tmp, 'nginx-'));
  const main = path.join(dir, 'nginx.conf');
  fs.writeFileSync(
    main,
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n` +
      ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
        .map((t) => `  ${t}_temp_path ${dir}/${t};\n`)
        .join('') +
      `  include ${conf};\n}\n`,
  );
  return run('nginx', ['-t', '-e', path.join(dir, 'error.log'), '-p', dir, '-c', main]);
}

it.each(['internal', 'it@benhvien.vn'])('caddy validate accepts the Caddyfile (tls %s)', (tls) => {
  const r = run(
    'caddy',
    ['validate', '--config', path.join(root, 'deploy/Caddyfile'), '--adapter', 'caddyfile'],
    {
      PUBLIC_HOST: 'caunoi.benhvien.vn',
      CADDY_TLS: tls,
      HOME: tmp,
      XDG_DATA_HOME: tmp,
      XDG_CONFIG_HOME: tmp,
    },
  );
  expect(r.out).toContain('Valid configuration');
  expect(r.status).toBe(0);
});

it('the Caddyfile redirects to HTTPS, sends HSTS, limits uploads and proxies to the web', () => {
  const r = run(
    'caddy',
    ['adapt', '--config', path.join(root, 'deploy/Caddyfile'), '--adapter', 'caddyfile'],
    { PUBLIC_HOST: 'caunoi.benhvien.vn', CADDY_TLS: 'internal' },
  );
  const json = JSON.parse(r.out.slice(r.out.indexOf('{')));
  const text = JSON.stringify(json);
  expect(text).toContain('"Strict-Transport-Security":["max-age=31536000; includeSubDomains"]');
  expect(text).toContain('"max_size":60000000');
  expect(text).toContain('"dial":"web:8080"');
  expect(text).toContain('"caunoi.benhvien.vn"');
});

it('nginx -t accepts the web container configuration', () => {
  const r = nginxTest(path.join(root, 'deploy/nginx.conf'));
  expect(r.out).toContain('test is successful');
});

it('nginx -t accepts the TLS terminator with operator certificates', async () => {
  const ca = await ensureLocalCa(path.join(tmp, 'ca'));
  const cert = await ensureServerCertificate(path.join(tmp, 'ca'), ca, ['caunoi.benhvien.vn']);
  const conf = fs
    .readFileSync(path.join(root, 'deploy/nginx-tls.conf'), 'utf8')
    .replace('/etc/nginx/tls/fullchain.pem', cert.certFile)
    .replace('/etc/nginx/tls/privkey.pem', cert.keyFile);
  expect(conf).not.toContain('/etc/nginx/tls/');
  const file = path.join(tmp, 'nginx-tls.conf');
  fs.writeFileSync(file, conf);
  const r = nginxTest(file);
  expect(r.out).toContain('test is successful');
  expect(conf).toMatch(/return 301 https:/);
  expect(conf).toMatch(/Strict-Transport-Security/);
  expect(conf).toMatch(/client_max_body_size 60m/);
});
