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
    const r = spawnSync(
      'npx',
      ['nx', 'run-many', '-t', 'build', '-p', 'shared', 'api', 'sfu', '--outputStyle=static'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
      },
    );
    if (r.status !== 0) {
      // Other engineers may be mid-change: measure the last good build rather than nothing.
      log(
        `[build] FAILED (exit ${r.status}); measuring the existing dist/ instead:\n${String(r.stdout).slice(-1500)}`,
      );
    } else {
      log(`[build] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  for (const f of ['apps/api/dist/main.js', 'apps/sfu/dist/main.js', 'libs/shared/dist/index.js']) {
    if (!fs.existsSync(path.join(ROOT, f)))
      throw new Error(
        `${f} missing: build apps first (npx nx run-many -t build -p shared api sfu)`,
      );
  }
}
