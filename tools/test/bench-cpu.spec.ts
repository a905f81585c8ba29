// The weak-link benchmark says who kept the machine busy in each window (bench/lowband/cpu.mjs);
// a wrong attribution would blame the product for the other sites' browsers or the reverse.
// Checked with real processes: a "site" (launched with the site switch, as the benchmark
// launches Chromium) whose child burns a core, and an idle "server".
import { spawnSync } from 'child_process';
import path from 'path';

const cpu = path.resolve(__dirname, '../../bench/lowband/cpu.mjs');

describe('benchmark CPU attribution (bench/lowband/cpu.mjs)', () => {
  it('counts a site browser’s children to that site and a busy second as ≈ one core', () => {
    // The "browser": a parent carrying the switch whose child does the work, like Chromium's
    // renderers under its browser process.
    const burn = 'const t = Date.now(); while (Date.now() - t < 1500) {}';
    const browser = `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(burn)}], { stdio: 'inherit' }); setTimeout(() => {}, 1800);`;
    const script = `
      import { spawn } from 'node:child_process';
      import { SITE_SWITCH, cpuBetween, cpuSnapshot } from ${JSON.stringify(cpu)};
      const site = spawn(process.execPath, ['-e', ${JSON.stringify(browser)}, '--', SITE_SWITCH + 'commune'], { stdio: 'inherit' });
      const server = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1800)', '--', 'apps/api/dist/main.js'], { stdio: 'inherit' });
      await new Promise((r) => setTimeout(r, 300));
      const a = cpuSnapshot();
      await new Promise((r) => setTimeout(r, 1000));
      const b = cpuSnapshot();
      site.kill(); server.kill();
      console.log(JSON.stringify(cpuBetween(a, b)));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status !== 0) throw new Error(r.stderr || `exit ${r.status}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    // A busy-looping child for the whole second: most of a core (the machine may be shared).
    expect(out.partsPctOfCore['chromium:commune']).toBeGreaterThan(50);
    expect(out.partsPctOfCore['chromium:commune']).toBeLessThanOrEqual(110);
    // The idle server is named as a server, and did not get the site's time.
    expect(out.partsPctOfCore.api ?? 0).toBeLessThan(10);
    expect(out.partsPctOfCore.bench ?? 0).toBeLessThan(20);
    expect(out.machineBusyPct).toBeGreaterThan(20);
  });
});
