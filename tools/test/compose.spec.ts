// There is no Docker engine on the build machines, so the deployment files are kept correct by
// reading them: every file compose and the Dockerfile reference exists, every variable compose
// needs is documented, and every variable handed to a service is one that service reads.
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
const compose = parse(read('docker-compose.yml'));
const dockerfile = read('Dockerfile');
const envExample = read('deploy/env.example');
const readme = read('README.md');

/** Source text of an app, to check that an env var handed to it is one it actually reads. */
function sourceOf(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs|js)$/.test(e.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(root, dir));
  return out.join('\n');
}

describe('docker-compose.yml', () => {
  it('has the services of a single-host deployment', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'backup',
      'caddy',
      'coturn',
      'postgres',
      'redis',
      'sfu',
      'web',
    ]);
  });

  it('builds every app from a Dockerfile target that exists', () => {
    const targets = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
    for (const name of ['api', 'sfu', 'web']) {
      const build = compose.services[name].build;
      expect(fs.existsSync(path.join(root, build.context, build.dockerfile))).toBe(true);
      expect(targets).toContain(build.target);
    }
  });

  it('copies only paths that exist in the repository', () => {
    const sources = [...dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].flatMap((m) =>
      m[1].trim().split(/\s+/).slice(0, -1),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources)
      expect([src, fs.existsSync(path.join(root, src))]).toEqual([src, true]);
  });

  it('documents every variable it interpolates, in deploy/env.example and the README', () => {
    const text = read('docker-compose.yml');
    const vars = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
    expect(vars.size).toBeGreaterThan(5);
    for (const v of vars) {
      expect([v, envExample.includes(`${v}=`)]).toEqual([v, true]);
      expect([v, readme.includes(v)]).toEqual([v, true]);
    }
  });

  it('hands each service only variables that the service reads', () => {
    const apps: Record<string, string> = {
      api: sourceOf('apps/api/src'),
      sfu: sourceOf('apps/sfu/src'),
    };
    for (const [name, src] of Object.entries(apps)) {
      for (const key of Object.keys(compose.services[name].environment)) {
        if (key === 'NODE_ENV') continue;
        expect([name, key, src.includes(key)]).toEqual([name, key, true]);
      }
    }
  });

  it('mounts secrets that env.example explains how to create, and keeps the demo seed off', () => {
    for (const s of Object.values<{ file: string }>(compose.secrets)) {
      const m = /\$\{([A-Z_]+):-([^}]+)\}/.exec(s.file);
      expect(m).not.toBeNull();
      expect(envExample).toContain(m![2].replace(/^\.\//, ''));
    }
    expect(compose.services.api.environment.SEED_DEMO).toBe('false');
    expect(read('.gitignore')).toContain('deploy/secrets/');
  });

  it('publishes the SFU media port on UDP and TCP and proxies the API through the web server', () => {
    expect(compose.services.sfu.ports).toEqual(
      expect.arrayContaining(['40000:40000/udp', '40000:40000/tcp']),
    );
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toContain('set $api http://api:3000;');
    expect(nginx).toContain('set $sfu http://sfu:4000;');
    expect(nginx).toMatch(/location \/api\/\s*\{[^}]*proxy_pass \$api;/);
    expect(nginx).toMatch(/location \/socket\.io\/\s*\{[^}]*Upgrade/);
    expect(nginx).toMatch(/location \/sfu\/socket\.io\/\s*\{[^}]*proxy_pass \$sfu;[^}]*Upgrade/);
  });

  it('publishes only the TLS terminator (80, 443), media and TURN; coturn relays nowhere private', () => {
    expect(compose.services.caddy.ports).toEqual(['80:80', '443:443']);
    expect(compose.services.web.ports).toBeUndefined();
    expect(compose.services.api.ports).toBeUndefined();
    expect(compose.services.sfu.ports).toEqual(['40000:40000/udp', '40000:40000/tcp']);
    expect(compose.services.api.environment.PUBLIC_URL).toBe(
      'https://${PUBLIC_HOST:?set PUBLIC_HOST, e.g. caunoi.benhvien.vn}',
    );
    const turn: string[] = compose.services.coturn.command;
    for (const range of [
      '10.0.0.0-10.255.255.255',
      '172.16.0.0-172.31.255.255',
      '192.168.0.0-192.168.255.255',
      '127.0.0.0-127.255.255.255',
    ])
      expect(turn).toContain(`--denied-peer-ip=${range}`);
    expect(turn).toContain('--allowed-peer-ip=${SFU_ANNOUNCED_ADDRESS}');
    expect(turn).toContain('--tls-listening-port=5349');
    expect(compose.services.api.environment.TURN_URLS).toContain('turns:');
  });
});
