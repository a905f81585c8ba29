// Where the machine's CPU went during a benchmark window, by part of the run. The load average
// says the machine was busy; this says who kept it busy: each site's Chromium (with all its
// child processes), the media server's worker, the API, the SFU and web servers, and the
// benchmark itself (the link emulator and Playwright's side). Read from /proc (Linux only).
import fs from 'node:fs';
import os from 'node:os';

// The switch a site's Chromium is launched with so that its processes can be told apart:
// Chromium ignores switches it does not know, and its children descend from that process.
export const SITE_SWITCH = '--caunoi-bench-site=';

const TICKS_PER_S = 100; // USER_HZ on Linux
const SERVERS = [
  ['api', /apps\/api\//],
  ['sfu', /apps\/sfu\//],
  ['web', /apps\/web\//],
];

function readProcesses() {
  const list = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name is in parentheses and may itself hold spaces or parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      list.push({
        pid: Number(name),
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        cmdline,
      });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return list;
}

function ancestors(p, byPid) {
  const chain = [];
  for (let q = p; q && chain.length < 16; q = byPid.get(q.ppid)) chain.push(q);
  return chain;
}

// The servers and the sites' browsers are all started by the benchmark: what a process is
// comes before whose child it is.
function partOf(p, byPid, ownPid) {
  const chain = ancestors(p, byPid);
  for (const q of chain) {
    const site = q.cmdline.indexOf(SITE_SWITCH);
    if (site >= 0) return `chromium:${q.cmdline.slice(site + SITE_SWITCH.length).split(' ')[0]}`;
  }
  if (p.cmdline.includes('mediasoup-worker')) return 'sfuWorker';
  for (const [part, re] of SERVERS) if (re.test(p.cmdline)) return part;
  if (p.cmdline.startsWith('postgres')) return 'postgres';
  return chain.some((q) => q.pid === ownPid) ? 'bench' : 'other';
}

function machineTicks() {
  const [cpu] = fs.readFileSync('/proc/stat', 'utf8').split('\n');
  const v = cpu.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + v[4]; // idle + iowait
  return { busy: v.reduce((a, b) => a + b, 0) - idle, all: v.reduce((a, b) => a + b, 0) };
}

/** A reading to compare with a later one (`cpuBetween`). */
export function cpuSnapshot() {
  const processes = readProcesses();
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const ticks = new Map(processes.map((p) => [p.pid, { part: '', ticks: p.ticks }]));
  for (const p of processes) ticks.get(p.pid).part = partOf(p, byPid, process.pid);
  return { atMs: performance.now(), machine: machineTicks(), ticks };
}

/**
 * CPU used between two readings: the machine's busy share of all its cores (%), and per part
 * the share of ONE core (%; 100 = a core kept busy the whole time). A process that ended in
 * between is not counted; one that started is counted from zero.
 */
export function cpuBetween(a, b) {
  const seconds = (b.atMs - a.atMs) / 1000;
  const parts = {};
  for (const [pid, now] of b.ticks) {
    const used = now.ticks - (a.ticks.get(pid)?.ticks ?? 0);
    if (used > 0) parts[now.part] = (parts[now.part] ?? 0) + used;
  }
  const pct = (ticks) => Math.round((ticks / TICKS_PER_S / seconds) * 1000) / 10;
  return {
    cores: os.cpus().length,
    machineBusyPct:
      Math.round(((b.machine.busy - a.machine.busy) / (b.machine.all - a.machine.all)) * 1000) / 10,
    partsPctOfCore: Object.fromEntries(
      Object.entries(parts)
        .sort(([, x], [, y]) => y - x)
        .map(([part, ticks]) => [part, pct(ticks)]),
    ),
  };
}
