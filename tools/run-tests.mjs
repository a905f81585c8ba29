#!/usr/bin/env node
// `npm test`: build, lint and test every Nx project, then the end-to-end suites, against
// TEST_DATABASE_URL (CI: the local PostgreSQL) or, when unset, a throwaway embedded PostgreSQL.
// Ends with one closing line summing all projects: "Tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from './lib/embedded-db.mjs';
import { freePort } from '@caunoi/test-support';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const summaryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-tests-'));
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  CAUNOI_TEST_SUMMARY_DIR: summaryDir,
};
const nx = path.join(root, 'node_modules', '.bin', 'nx');
const started = Date.now();
const steps = [];

function step(name, args) {
  const t = Date.now();
  console.log(`\n[test] ── ${name} ──`);
  const r = spawnSync(nx, [...args, '--outputStyle=stream-without-prefixes'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  steps.push({ name, ok: r.status === 0, seconds: Math.round((Date.now() - t) / 1000) });
  return r.status === 0;
}

let stopDb = async () => {};
if (!env.TEST_DATABASE_URL && !env.DATABASE_URL) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-pg-'));
  const db = await startEmbeddedPostgres({
    dir: path.join(dir, 'data'),
    port: await freePort(),
    database: 'postgres',
  });
  env.TEST_DATABASE_URL = db.url;
  stopDb = async () => {
    await db.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
  console.log(
    `[test] no TEST_DATABASE_URL: using an embedded PostgreSQL (${db.url.replace(/:[^:@]*@/, ':***@')})`,
  );
}
env.TEST_DATABASE_URL ??= env.DATABASE_URL;

// Everything after a good build runs even when an earlier step failed, so one run shows all failures.
const formatOk = (() => {
  const t = Date.now();
  console.log('\n[test] ── format (prettier --check) ──');
  const r = spawnSync(
    path.join(root, 'node_modules', '.bin', 'prettier'),
    ['--check', '--log-level', 'warn', '.'],
    { cwd: root, env, stdio: 'inherit' },
  );
  steps.push({ name: 'format', ok: r.status === 0, seconds: Math.round((Date.now() - t) / 1000) });
  return r.status === 0;
})();
const buildOk = step('build', ['run-many', '-t', 'build']);
let ok = buildOk && formatOk;
if (buildOk) {
  ok = step('lint', ['run-many', '-t', 'lint']) && ok;
  ok = step('unit and integration tests', ['run-many', '-t', 'test']) && ok;
  ok = step('end-to-end tests', ['run-many', '-t', 'e2e']) && ok;
  // Kills processes of a launched system (tools/faults, docs/operations.md): ~1-2 minutes.
  ok = step('fault injection', ['run', 'tools:faults']) && ok;
}
await stopDb();

const counts = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
for (const f of fs.readdirSync(summaryDir).sort()) {
  const r = JSON.parse(fs.readFileSync(path.join(summaryDir, f), 'utf8'));
  // A figure a suite measured (tools/faults: recovery times), repeated here, not counted.
  if (r.measured) {
    console.log(`[test] measured ${r.measured}: ${r.brief}`);
    continue;
  }
  for (const k of Object.keys(counts)) counts[k] += r[k];
  for (const f of r.failures ?? []) failures.push({ project: r.project, ...f });
  console.log(`[test] ${r.project}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
}
for (const f of failures) {
  console.log(`[test] FAILED ${f.project}: ${f.test}`);
  if (f.error) console.log(f.error.replace(/^/gm, '[test]   '));
}
for (const s of steps)
  console.log(`[test] step ${s.name}: ${s.ok ? 'ok' : 'FAILED'} in ${s.seconds}s`);
console.log(`[test] total ${Math.round((Date.now() - started) / 1000)}s`);
if (!ok && counts.failed === 0) counts.failed = 1; // a failed build or lint counts as a failure
console.log(
  `Tests: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
);
process.exit(ok ? 0 : 1);
