// Emergency consult, time to room: the browser test apps/web/e2e/emergency.e2e.ts run a few times
// (each on a fresh stack: API, SFU, web server, database): an emergency request submitted in one
// Chromium context, the on-call specialist rung in another, claims at once; measured from the
// submit click to both pages decoding each other's video. Goal ≤ 60 s with a prompt claim.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../lib/build.mjs';
import { ROOT, table } from '../lib/results.mjs';
import { median, round } from '../lib/stats.mjs';

const SIZES = { small: 1, default: 3, large: 5 };
const GOAL_SECONDS = 60;
const WEB = path.join(ROOT, 'apps/web');

/** The e2e serves apps/web/dist: build it when missing (Nx caches an unchanged web). */
function ensureWeb(log) {
  if (process.env.BENCH_SKIP_BUILD === '1' && fs.existsSync(path.join(WEB, 'dist/index.html')))
    return;
  log('[build] npx nx run web:build');
  const r = spawnSync('npx', ['nx', 'run', 'web:build', '--outputStyle=static'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  if (r.status !== 0 && !fs.existsSync(path.join(WEB, 'dist/index.html')))
    throw new Error('apps/web/dist missing and the web build failed');
}

function once(resultFile, log) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--test', '--test-timeout=360000', 'e2e/emergency.e2e.ts'],
      { cwd: WEB, env: { ...process.env, CAUNOI_EMERGENCY_RESULT: resultFile }, stdio: 'pipe' },
    );
    let tail = '';
    const keep = (d) => (tail = (tail + d).slice(-2000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('exit', (code) => {
      if (code !== 0) log(`run failed (exit ${code}):\n${tail}`);
      resolve(code === 0 && fs.existsSync(resultFile));
    });
  });
}

export async function run({ size, log, deadline }) {
  ensureBuilt(log);
  ensureWeb(log);
  const runs = [];
  for (let i = 0; i < SIZES[size]; i++) {
    // A run takes about a minute and a half with the stack's start: keep within the budget.
    if (i > 0 && Date.now() > deadline - 150_000) break;
    const file = path.join(os.tmpdir(), `caunoi-emergency-${process.pid}-${i}.json`);
    const ok = await once(file, log);
    const r = ok ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
    fs.rmSync(file, { force: true });
    runs.push(r ? { ok: true, ...r } : { ok: false });
    log(
      r
        ? `run ${i + 1}: rung after ${round(r.rungSeconds)} s, both in the room with video after ${round(r.timeToRoomSeconds)} s`
        : `run ${i + 1}: did not complete`,
    );
  }
  const times = runs.filter((r) => r.ok).map((r) => r.timeToRoomSeconds);
  const rung = runs.filter((r) => r.ok).map((r) => r.rungSeconds);
  const med = round(median(times));
  const max = times.length ? round(Math.max(...times)) : null;
  const data = {
    goalSeconds: GOAL_SECONDS,
    runs,
    medianSeconds: med,
    maxSeconds: max,
    medianRungSeconds: round(median(rung)),
    withinGoal: max !== null && max <= GOAL_SECONDS,
  };
  const markdown = [
    `Submit click → both pages decode each other's video (two Chromium contexts, claim at once). Goal ≤ ${GOAL_SECONDS} s.`,
    '',
    table([
      ['run', 'rung after (s)', 'both in the room with video (s)'],
      ...runs.map((r, i) => [
        String(i + 1),
        r.ok ? String(round(r.rungSeconds)) : '—',
        r.ok ? String(round(r.timeToRoomSeconds)) : 'did not complete',
      ]),
    ]),
    '',
    `**Median ${med ?? '—'} s, max ${max ?? '—'} s** over ${times.length}/${runs.length} completed runs (goal ≤ ${GOAL_SECONDS} s: ${data.withinGoal ? 'met' : 'not met'}).`,
  ].join('\n');
  return {
    data,
    markdown,
    headline: `emergency time to room median ${med ?? '—'} s, max ${max ?? '—'} s (goal ≤ ${GOAL_SECONDS} s, ${times.length}/${runs.length} runs)`,
  };
}
