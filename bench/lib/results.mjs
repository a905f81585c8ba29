// Results: one JSON (everything measured) and one markdown summary per benchmark run, both under
// bench/results/, named <name>-<UTC date and time>. Every file carries the hardware line and load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(BENCH_DIR, '..');
export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR
  ? path.resolve(process.env.BENCH_RESULTS_DIR)
  : path.join(BENCH_DIR, 'results');

export function hardware() {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    /* not a git checkout */
  }
  const [l1, l5, l15] = os.loadavg();
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    commit,
    loadAvg: [l1, l5, l15].map((x) => Math.round(x * 100) / 100),
  };
}

export function hardwareLine(h = hardware()) {
  return `${h.cores} × ${h.cpuModel}, ${h.memGiB} GiB RAM, ${h.kernel}, Node ${h.node}, commit ${h.commit}, load average ${h.loadAvg.join(' / ')} (1/5/15 min) at start`;
}

function stamp(d = new Date()) {
  return d
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Write bench/results/<name>-<stamp>.json and .md. `markdown` is the body (tables); the header
 * with command, size, date and hardware is added here.
 */
export function writeResults({ name, size, command, startedAt, hardwareAtStart, data, markdown }) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const finishedAt = new Date();
  const base = `${name}-${stamp(startedAt)}`;
  const loadAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const json = {
    benchmark: name,
    size,
    command,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: Math.round((finishedAt - startedAt) / 100) / 10,
    hardware: hardwareAtStart,
    loadAvgAtEnd: loadAtEnd,
    ...data,
  };
  fs.writeFileSync(path.join(RESULTS_DIR, `${base}.json`), JSON.stringify(json, null, 2) + '\n');
  const md = [
    `# ${name} benchmark — ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: \`${command}\` (size \`${size}\`), ${json.durationSeconds} s`,
    `- Machine: ${hardwareLine(hardwareAtStart)}; load average at end ${loadAtEnd.join(' / ')}`,
    '',
    markdown.trim(),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(RESULTS_DIR, `${base}.md`), md);
  return { json: path.join(RESULTS_DIR, `${base}.json`), md: path.join(RESULTS_DIR, `${base}.md`) };
}

/** A markdown table from an array of row arrays (first row = header). */
export function table(rows) {
  const [head, ...body] = rows;
  const line = (r) => `| ${r.map((c) => (c == null ? '—' : String(c))).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
}
