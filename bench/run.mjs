#!/usr/bin/env node
// npm run bench [-- --only sfu|join|api|reads|scale|lowband|recording|training|emergency[,…]] [--size small|default|large] [--budget-minutes N]
// Benchmarks are measurements, not tests: they write bench/results/<name>-<date>.{json,md} and
// never fail on a timing. Each one stops itself (bounded loops, a time budget per benchmark).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hardware, hardwareLine, RESULTS_DIR, writeResults } from './lib/results.mjs';
import { stopAll } from './lib/proc.mjs';

const ALL = ['sfu', 'join', 'api', 'reads', 'scale'];
// Run only when named: several browsers for minutes per scenario.
const OPTIONAL = ['lowband', 'recording', 'training', 'emergency'];
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    size: { type: 'string', default: 'default' },
    'budget-minutes': { type: 'string', default: '10' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: npm run bench -- [--only sfu|join|api|reads|scale|lowband|recording|training|emergency[,...]] [--size small|default|large] [--budget-minutes 10]',
  );
  process.exit(0);
}
const size = values.size;
if (!['small', 'default', 'large'].includes(size)) {
  console.error(`--size must be small, default or large (got "${size}")`);
  process.exit(2);
}
const selected = values.only ? values.only.split(',').map((s) => s.trim()) : ALL;
for (const s of selected) {
  if (!ALL.includes(s) && !OPTIONAL.includes(s)) {
    console.error(
      `--only: unknown benchmark "${s}" (choose from ${[...ALL, ...OPTIONAL].join(', ')})`,
    );
    process.exit(2);
  }
}
const budgetMs = Number(values['budget-minutes']) * 60_000;

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    interrupted = true;
    console.error(`\n[bench] ${sig}: stopping child processes`);
    await stopAll();
    process.exit(130);
  });
}

console.log(`[bench] ${hardwareLine()}`);
const summary = [];
for (const name of selected) {
  if (interrupted) break;
  const startedAt = new Date();
  const hw = hardware();
  const deadline = Date.now() + budgetMs;
  const log = (...args) => console.log(`[${name}]`, ...args);
  const command = `npm run bench -- --only ${name} --size ${size}`;
  log(`start (size ${size}, budget ${budgetMs / 60000} min, load ${os.loadavg()[0].toFixed(2)})`);
  let outcome;
  try {
    const mod = await import(`./${name}/index.mjs`);
    outcome = await mod.run({ size, log, deadline });
  } catch (err) {
    log(`FAILED: ${err.stack ?? err}`);
    outcome = {
      data: { error: String(err.stack ?? err) },
      markdown: `**Did not complete:** \`${String(err.message ?? err).split('\n')[0]}\``,
    };
  } finally {
    await stopAll();
  }
  const files = writeResults({
    name,
    size,
    command,
    startedAt,
    hardwareAtStart: hw,
    data: outcome.data,
    markdown: outcome.markdown,
  });
  log(`wrote ${files.json}`);
  log(`wrote ${files.md}`);
  summary.push({ name, files, headline: outcome.headline });
}
console.log('\n[bench] summary');
for (const s of summary) console.log(`  ${s.name}: ${s.headline ?? '(see ' + s.files.md + ')'}`);
if (summary.length > 1) {
  const file = path.join(
    RESULTS_DIR,
    `summary-${new Date()
      .toISOString()
      .replace(/[:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}.md`,
  );
  fs.writeFileSync(
    file,
    [
      `# npm run bench -- --size ${size}`,
      '',
      `- ${hardwareLine()} (at the end)`,
      '',
      ...summary.map(
        (s) =>
          `- **${s.name}**: ${s.headline ?? 'did not complete'} — [${path.basename(s.files.md)}](${path.basename(s.files.md)})`,
      ),
      '',
    ].join('\n'),
  );
  console.log(`[bench] wrote ${file}`);
}
