import { createServer } from 'node:net';
import { loadConfig } from '../config/env.schema';
import { LoginThrottleService } from './login-throttle.service';

// A sign-in never fails because Redis is away: the throttle counts on this instance meanwhile,
// so the right password still gets in and guessing still meets 429 (here against a real ioredis
// client whose server refuses connections).
async function refusedRedisUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return `redis://127.0.0.1:${port}`;
}

describe('login throttle with Redis unreachable', () => {
  let throttle: LoginThrottleService;
  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@localhost/db',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      REDIS_URL: await refusedRedisUrl(),
      LOGIN_MAX_ATTEMPTS: '2',
    });
    throttle = new LoginThrottleService(config);
  });
  afterAll(() => throttle.onModuleDestroy());

  it('counts locally: attempts within the limit pass, the next one is 429', async () => {
    const email = 'nobody@caunoi.demo';
    expect(await throttle.attempt(email, '10.0.0.1')).toBe(1);
    expect(await throttle.attempt(email, '10.0.0.1')).toBe(2);
    await expect(throttle.attempt(email, '10.0.0.1')).rejects.toMatchObject({ status: 429 });
    await throttle.succeeded(email, '10.0.0.1');
    expect(await throttle.attempt(email, '10.0.0.1')).toBe(1);
  });
});
