// The benchmarks run the real built servers: build shared, api and sfu once per `npm run bench`
// (Nx caches unchanged projects). BENCH_SKIP_BUILD=1 uses whatever is in dist/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './results.mjs';

let built = false;
export function ensureBuilt(log = console.log) {
  if (built) return;
  built = true;
  if (process.env.BENCH_SKIP_BUILD === '1') {
    log('[build] BENCH_SKIP_BUILD=1: using existing dist/');
  } else {
    log('[build] npx nx run-many -t build -p shared api sfu');
    const t0 = Date.now();
    const r = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'shared', 'api', 'sfu', '--outputStyle=static'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
    });
    if (r.status !== 0) {
      throw new Error(`build failed (exit ${r.status}):\n${String(r.stdout).slice(-3000)}\n${String(r.stderr).slice(-2000)}`);
    }
    log(`[build] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  for (const f of ['apps/api/dist/main.js', 'apps/sfu/dist/main.js', 'libs/shared/dist/index.js']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} missing: build apps first (npx nx run-many -t build -p shared api sfu)`);
  }
}
