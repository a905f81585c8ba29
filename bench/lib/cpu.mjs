// CPU accounting from /proc: utime+stime of a process (and optionally its children's own
// threads), sampled twice; the difference over wall time is the share of one core (100 = 1 core).
import fs from 'node:fs';
import os from 'node:os';

const TICKS = 100; // USER_HZ on Linux

function statFields(pid) {
  const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime is field 14, stime 15, ppid field 4.
  return {
    ppid: Number(rest[1]),
    utime: Number(rest[11]),
    stime: Number(rest[12]),
    comm: raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')')),
  };
}

/** CPU seconds used so far by one process (all its threads). */
export function cpuSeconds(pid) {
  try {
    const f = statFields(pid);
    return (f.utime + f.stime) / TICKS;
  } catch {
    return NaN;
  }
}

/** Direct children of `pid`, optionally filtered by command name (e.g. "mediasoup-worke"). */
export function childPids(pid, commPrefix) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = statFields(d);
      if (f.ppid === pid && (!commPrefix || f.comm.startsWith(commPrefix))) out.push(Number(d));
    } catch {
      /* process gone */
    }
  }
  return out;
}

/** pid → CPU seconds of every process whose command starts with `prefix` (e.g. postgres backends). */
export function commCpuSeconds(prefix) {
  const out = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = statFields(d);
      if (f.comm.startsWith(prefix)) out.set(d, (f.utime + f.stime) / TICKS);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU used between two commCpuSeconds() samples by the processes alive at the second one
 * (a process started meanwhile counts whole; one that exited meanwhile is not counted). */
function commDelta(a, b) {
  let total = 0;
  for (const [pid, secs] of b) total += Math.max(0, secs - (a.get(pid) ?? 0));
  return total;
}

/** Whole-machine CPU: busy and total jiffies from /proc/stat. */
export function machineTicks() {
  const line = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = line[3] + (line[4] || 0);
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Start a measurement window over named pids; `stop()` returns each pid's share of one core in
 * percent, and the machine's busy share (100 = all cores busy).
 */
export function cpuWindow(pids, comms = {}) {
  const t0 = process.hrtime.bigint();
  const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const startComm = Object.fromEntries(
    Object.entries(comms).map(([k, prefix]) => [k, commCpuSeconds(prefix)]),
  );
  const m0 = machineTicks();
  return {
    stop() {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const out = {};
      for (const [k, pid] of Object.entries(pids))
        out[k] = ((cpuSeconds(pid) - start[k]) / wall) * 100;
      for (const [k, prefix] of Object.entries(comms))
        out[k] = (commDelta(startComm[k], commCpuSeconds(prefix)) / wall) * 100;
      const m1 = machineTicks();
      out.machine = ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100;
      out.wallSeconds = wall;
      return out;
    },
  };
}

export const cores = () => os.cpus().length;
