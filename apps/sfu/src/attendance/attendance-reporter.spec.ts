import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { waitFor } from '../../test/support/poll';
import { AttendanceReporter } from './attendance-reporter';

const log = pino({ level: 'silent' });

function event(kind: 'joined' | 'left' = 'joined') {
  return {
    sessionId: randomUUID(),
    userId: randomUUID(),
    peerId: randomUUID(),
    event: kind,
    at: new Date().toISOString(),
  };
}

describe('AttendanceReporter', () => {
  let server: Server;
  let url: string;
  const received: Array<{ auth?: string; body: unknown; path?: string }> = [];
  let failNext = 0;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        received.push({ auth: req.headers.authorization, body: JSON.parse(body), path: req.url });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    received.length = 0;
    failNext = 0;
  });

  it('posts each event with the service token, in order', async () => {
    const reporter = new AttendanceReporter({ apiUrl: url, serviceToken: 's3cret' }, log);
    const a = event('joined');
    const b = event('left');
    reporter.report(a);
    reporter.report(b);
    await waitFor(() => received.length === 2);
    expect(received.map((r) => r.body)).toEqual([a, b]);
    expect(received[0]).toMatchObject({ auth: 'Bearer s3cret', path: '/api/internal/attendance' });
    await reporter.close();
  });

  it('retries with backoff while the API fails', async () => {
    failNext = 2;
    const results: string[] = [];
    const reporter = new AttendanceReporter(
      { apiUrl: url, serviceToken: 't', baseDelayMs: 20, onResult: (r) => results.push(r) },
      log,
    );
    reporter.report(event());
    // The API records the request before it answers: wait for the reporter's own verdict.
    await waitFor(() => results.length === 1);
    expect(results).toEqual(['sent']);
    expect(received).toHaveLength(1);
    await reporter.close();
  });

  it('keeps a bounded queue when the API is down', async () => {
    const results: string[] = [];
    const reporter = new AttendanceReporter(
      {
        apiUrl: 'http://127.0.0.1:9',
        serviceToken: 't',
        maxQueue: 3,
        baseDelayMs: 10_000,
        onResult: (r) => results.push(r),
      },
      log,
    );
    for (let i = 0; i < 10; i++) reporter.report(event());
    expect(reporter.pending).toBe(3);
    expect(results.filter((r) => r === 'dropped')).toHaveLength(7);
    await reporter.close(10);
  });

  it('only logs when API_URL or the service token is unset', () => {
    const results: string[] = [];
    const reporter = new AttendanceReporter({ onResult: (r) => results.push(r) }, log);
    reporter.report(event());
    expect(reporter.enabled).toBe(false);
    expect(results).toEqual(['logged']);
  });
});
