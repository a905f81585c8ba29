// The whole system as an operator starts it: `npm start` (npm → sh → exec node tools/start.mjs,
// built apps, SKIP_BUILD) on free ports, its own CAUNOI_DATA_DIR in a temporary folder and the
// embedded PostgreSQL (which the fault tests kill). Reads the launcher's log to learn the pids
// of its children and to time recoveries.
import { spawn, type ChildProcess } from 'child_process';
import dgram from 'dgram';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { freePort } from '@caunoi/test-support';

export { freePort };

export const root = path.resolve(__dirname, '../../..');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every `everyMs` until it returns a truthy value; throws `message` after `timeoutMs`. */
export async function until<T>(
  fn: () => T | Promise<T>,
  timeoutMs: number,
  message: string | (() => string),
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve()
      .then(fn)
      .catch(() => undefined);
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(typeof message === 'function' ? message() : message);
    await sleep(everyMs);
  }
}

/** Holds a free port on UDP and TCP (all addresses), as another program would. */
export async function holdPort(): Promise<{ port: number; close(): void }> {
  const port = await freePort();
  const tcp = net.createServer().listen(port, '0.0.0.0');
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, '0.0.0.0', () => resolve());
  });
  return {
    port,
    close() {
      tcp.close();
      udp.close();
    },
  };
}

export function builtOrThrow(): void {
  for (const dist of ['apps/api/dist/main.js', 'apps/sfu/dist/main.js', 'apps/web/dist/index.html'])
    if (!fs.existsSync(path.join(root, dist)))
      throw new Error(
        `${dist} is missing: build first (npm test does; or npx nx run-many -t build)`,
      );
}

/** Pids whose parent is `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

export function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** A process that still runs (a zombie waiting to be reaped holds nothing and counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

export interface Ports {
  api: number;
  sfu: number;
  rtc: number;
  web: number;
  pg: number;
}

export class Stack {
  log = '';
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  private constructor(
    readonly npm: ChildProcess,
    readonly ports: Ports,
    readonly dataDir: string,
  ) {
    const append = (b: Buffer) => (this.log += b.toString());
    npm.stdout!.on('data', append);
    npm.stderr!.on('data', append);
    npm.once('exit', (code, signal) => (this.exit = { code, signal, at: Date.now() }));
  }

  /** `npm start` with SKIP_BUILD on free ports; resolves once the banner is printed. */
  static async launch(extraEnv: NodeJS.ProcessEnv = {}): Promise<Stack> {
    const stack = await Stack.spawn(extraEnv);
    await stack.waitForLog(/is running/, 120_000).catch((e) => {
      stack.kill();
      throw e;
    });
    return stack;
  }

  /** `npm start` as `launch`, without waiting for it (`ports` overrides some free ports). */
  static async spawn(extraEnv: NodeJS.ProcessEnv = {}, ports: Partial<Ports> = {}): Promise<Stack> {
    builtOrThrow();
    // Extra instances listen on the ports after the first (tools/lib/cluster.mjs): free runs.
    const apis = Number(extraEnv.API_INSTANCES ?? 1);
    const nodes = Number(extraEnv.SFU_NODES ?? 1);
    const workers = Number(extraEnv.SFU_WORKERS ?? 1);
    const p: Ports = {
      api: ports.api ?? (await freePort(apis)),
      sfu: ports.sfu ?? (await freePort(nodes)),
      rtc: ports.rtc ?? (await freePort(nodes * workers)),
      web: ports.web ?? (await freePort()),
      pg: ports.pg ?? (await freePort()),
    };
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-faults-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production', // as `npm start` (jest sets NODE_ENV=test)
      SKIP_BUILD: 'true',
      CAUNOI_DATA_DIR: dataDir,
      PORT: String(p.api),
      SFU_PORT: String(p.sfu),
      SFU_RTC_PORT: String(p.rtc),
      SFU_WORKERS: '1',
      WEB_PORT: String(p.web),
      EMBEDDED_PG_PORT: String(p.pg),
      LOG_LEVEL: 'warn',
      ...extraEnv,
    };
    delete env.DATABASE_URL;
    delete env.DATABASE_MIGRATION_URL;
    // Its own process group, as a terminal's foreground job: Ctrl+C is SIGINT to that group.
    const npm = spawn('npm', ['start'], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Stack(npm, p, dataDir);
  }

  get api() {
    return `http://127.0.0.1:${this.ports.api}`;
  }
  get sfu() {
    return `http://127.0.0.1:${this.ports.sfu}`;
  }
  get secrets(): Record<string, string> {
    return JSON.parse(fs.readFileSync(path.join(this.dataDir, 'secrets', 'secrets.json'), 'utf8'));
  }

  /** The launcher (node tools/start.mjs, exec'd by npm's shell): npm's only child. */
  launcherPid(): number {
    const kids = childPids(this.npm.pid!);
    const launcher = kids.find((p) => cmdline(p).includes('tools/start.mjs'));
    if (!launcher) throw new Error(`no launcher under npm: ${kids.map(cmdline).join(' | ')}`);
    return launcher;
  }

  /** The pid of a supervised child, from the launcher's latest "<name> started (pid N)". */
  pid(name: string): number {
    const all = [
      ...this.log.matchAll(new RegExp(`\\[caunoi\\] ${name} started \\(pid (\\d+)\\)`, 'g')),
    ];
    if (!all.length) throw new Error(`${name} never started:\n${this.tail()}`);
    return Number(all[all.length - 1][1]);
  }

  workerPids(): number[] {
    return childPids(this.pid('sfu')).filter((p) => cmdline(p).includes('mediasoup-worker'));
  }

  /** Every process the launcher started, with their descendants. */
  tree(): number[] {
    const out: number[] = [];
    const walk = (pid: number) => {
      for (const c of childPids(pid)) {
        out.push(c);
        walk(c);
      }
    };
    walk(this.npm.pid!);
    return out;
  }

  /** Waits for `re` in the output after offset `from`; fails at once when npm start exits. */
  async waitForLog(re: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    const found = await until(
      () => this.exit ?? this.log.slice(from).match(re),
      timeoutMs,
      () => `no ${re} in the launcher's output within ${timeoutMs / 1000} s:\n${this.tail()}`,
      50,
    );
    if (!Array.isArray(found))
      throw new Error(`npm start exited (${found.code ?? found.signal}):\n${this.tail()}`);
    return found as RegExpMatchArray;
  }

  async healthy(url: string): Promise<boolean> {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }

  tail(lines = 40): string {
    return this.log.split('\n').slice(-lines).join('\n');
  }

  kill(): void {
    for (const pid of [...this.tree(), this.npm.pid!])
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
  }

  cleanup(): void {
    if (!this.exit) this.kill();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * A figure the run measured (recovery times, counts), never asserted: one line on stdout, and a
 * file in CAUNOI_TEST_SUMMARY_DIR that `npm test` repeats in its closing summary.
 */
export function measured(name: string, data: Record<string, unknown>): void {
  const brief = Object.entries(data)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  process.stdout.write(`[measured] ${name}: ${brief}\n`);
  const dir = process.env.CAUNOI_TEST_SUMMARY_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, `measured-${process.pid}-${Date.now()}.json`),
    JSON.stringify({ measured: name, brief }),
  );
}

export const secondsSince = (t: number, now = Date.now()) => Number(((now - t) / 1000).toFixed(2));
