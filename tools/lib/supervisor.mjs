// The launcher's process supervisor: keeps each child (PostgreSQL, API, SFU, web) running on its
// own, restarting one that dies with exponential backoff, and gives up on a child that keeps
// dying (a crash loop) so that the launcher can exit non-zero and let a service manager act.
//
// Every child runs in its own process group (detached): a terminal's Ctrl-C reaches only the
// launcher, which then stops each child by signalling the child alone, so a parent stops its own
// helpers (the SFU its mediasoup workers, PostgreSQL its backends) in order. Whatever is left in a
// child's group after the child has gone is killed, so a restarted child finds its ports free.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';

/** Exit codes that restarting cannot fix (sysexits' EX_CONFIG: a configuration error). */
const NOT_RESTARTABLE = new Set([78]);

export const RESTART_DEFAULTS = {
  /** A child that dies `limit` times within `windowMs` is in a crash loop: no more restarts. */
  limit: 5,
  windowMs: 60_000,
  /** First restart after `baseDelayMs`, doubling with each recent death, capped at `maxDelayMs`. */
  baseDelayMs: 250,
  maxDelayMs: 8_000,
};

/**
 * @typedef {object} ServiceSpec
 * @property {string} name           short name, prefixes its output lines
 * @property {string} command
 * @property {string[]} args
 * @property {Record<string, string | undefined>} env
 * @property {string} [cwd]
 * @property {number} [uid]
 * @property {number} [gid]
 * @property {NodeJS.Signals} [stopSignal]  asks for a quick, clean stop (default SIGTERM)
 * @property {number} [stopTimeoutMs]        then the whole process group is killed
 * @property {() => Promise<boolean>} [ready] true once the child serves (polled)
 */

export class Supervisor extends EventEmitter {
  /** @type {Map<string, Child>} */
  children = new Map();
  stopping = false;

  constructor({ log, restart = {}, output = { out: process.stdout, err: process.stderr } }) {
    super();
    this.log = log;
    this.restart = { ...RESTART_DEFAULTS, ...restart };
    this.output = output;
  }

  /**
   * Starts a child and resolves once `ready` answers true; rejects when the child gives up
   * (crash loop) or is not ready within `timeoutMs`. Deaths meanwhile are restarted as usual.
   * @param {ServiceSpec} spec
   */
  async start(spec, timeoutMs = 60_000) {
    const child = new Child(spec, this);
    this.children.set(spec.name, child);
    child.spawn();
    await child.waitReady(timeoutMs);
  }

  /** Pids of the running children by name (for operators and the fault-injection tests). */
  pids() {
    return Object.fromEntries([...this.children].map(([name, c]) => [name, c.proc?.pid ?? null]));
  }

  /**
   * Stops the children: the names of each group in parallel, groups one after another (e.g. the
   * apps, then the database they use). Resolves when all are gone.
   * @param {string[][]} groups
   */
  async stopAll(groups) {
    this.stopping = true;
    const listed = new Set(groups.flat());
    const rest = [...this.children.keys()].filter((n) => !listed.has(n));
    for (const group of [rest, ...groups])
      await Promise.all(group.map((n) => this.children.get(n)?.stop()));
  }

  /** Last resort when the launcher itself exits: nothing it started may outlive it. */
  killAllNow() {
    for (const c of this.children.values()) c.killGroup('SIGKILL');
  }
}

class Child {
  /** @type {import('node:child_process').ChildProcess | undefined} */
  proc;
  deaths = [];
  gaveUp = false;
  stopped = false;
  restartTimer;
  startedAt = 0;
  /** @type {number | undefined} when the last unplanned death happened (recovery timing) */
  diedAt;

  /** @param {ServiceSpec} spec @param {Supervisor} sup */
  constructor(spec, sup) {
    this.spec = spec;
    this.sup = sup;
  }

  get name() {
    return this.spec.name;
  }

  spawn() {
    const { spec } = this;
    const env = Object.fromEntries(Object.entries(spec.env).filter(([, v]) => v !== undefined));
    const proc = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env,
      uid: spec.uid,
      gid: spec.gid,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.startedAt = Date.now();
    prefixLines(proc.stdout, this.sup.output.out, spec.name);
    prefixLines(proc.stderr, this.sup.output.err, spec.name);
    proc.once('error', (err) => this.sup.log(`${spec.name}: could not start (${err.message})`));
    proc.once('exit', (code, signal) => this.onExit(proc, code, signal));
    if (proc.pid) this.sup.log(`${spec.name} started (pid ${proc.pid})`);
  }

  onExit(proc, code, signal) {
    this.killGroup('SIGKILL', proc.pid); // orphans (workers, backends) must free the ports
    this.sup.emit('exit', this.name, { code, signal });
    if (this.stopped || this.sup.stopping) return;
    const now = Date.now();
    const how = signal ? `killed by ${signal}` : `exit code ${code}`;
    this.diedAt = now;
    this.deaths = [...this.deaths.filter((t) => now - t < this.sup.restart.windowMs), now];
    const { limit, windowMs, baseDelayMs, maxDelayMs } = this.sup.restart;
    if (!signal && NOT_RESTARTABLE.has(code)) {
      return this.giveUp(`${this.name} stopped with ${how} (a configuration error; see above)`);
    }
    if (this.deaths.length >= limit) {
      return this.giveUp(
        `${this.name} died ${this.deaths.length} times within ${windowMs / 1000} s ` +
          `(last: ${how}); it is in a crash loop and will not be restarted`,
      );
    }
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (this.deaths.length - 1));
    this.sup.log(
      `${this.name} died (${how}) after ${seconds(now - this.startedAt)}; restarting in ` +
        `${seconds(delay)} (death ${this.deaths.length} of ${limit} allowed within ${windowMs / 1000} s)`,
    );
    this.restartTimer = setTimeout(() => {
      if (this.stopped || this.sup.stopping) return;
      this.spawn();
      void this.announceRecovery(this.proc);
    }, delay);
  }

  giveUp(message) {
    this.gaveUp = true;
    this.sup.log(message);
    this.sup.emit('gaveUp', this.name, message);
  }

  /** Logs how long the child was away once it serves again. */
  async announceRecovery(proc) {
    if (!this.spec.ready) return;
    const since = this.diedAt ?? Date.now();
    while (this.proc === proc && running(proc) && !this.sup.stopping) {
      if (await this.spec.ready().catch(() => false)) {
        this.sup.log(
          `${this.name} is back (pid ${proc.pid}), ${seconds(Date.now() - since)} after it died`,
        );
        this.sup.emit('recovered', this.name, Date.now() - since);
        return;
      }
      await sleep(200);
    }
  }

  async waitReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.gaveUp) throw new Error(`${this.name} could not be started`);
      if (this.sup.stopping) throw new Error('stopping');
      if (!this.spec.ready) return;
      if (this.proc && running(this.proc) && (await this.spec.ready().catch(() => false))) return;
      await sleep(250);
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs / 1000} s`);
  }

  /** Clean stop: the stop signal to the child alone, then its whole group after the timeout. */
  async stop() {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const proc = this.proc;
    if (!proc || !running(proc)) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    try {
      proc.kill(this.spec.stopSignal ?? 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timeoutMs = this.spec.stopTimeoutMs ?? 2_000;
    const timer = setTimeout(() => {
      this.sup.log(`${this.name} did not stop within ${seconds(timeoutMs)}; killing it`);
      this.killGroup('SIGKILL', proc.pid);
    }, timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  killGroup(signal, pid = this.proc?.pid) {
    if (!pid) return;
    try {
      process.kill(-pid, signal);
    } catch {
      /* the group is already empty */
    }
  }
}

function prefixLines(stream, out, name) {
  let partial = '';
  stream.on('data', (buf) => {
    const lines = (partial + buf.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line) out.write(`${name.padEnd(3)} | ${line}\n`);
  });
  stream.on('end', () => partial && out.write(`${name.padEnd(3)} | ${partial}\n`));
}

const running = (proc) => proc.exitCode === null && proc.signalCode === null;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
