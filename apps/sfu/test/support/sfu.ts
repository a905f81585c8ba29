import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { startSfu, type Sfu } from '../../src/server';
import type { SignallingOptions } from '../../src/signalling/gateway';

/**
 * Start a real SFU in this process on ephemeral ports: signalling on port 0, each worker's
 * WebRtcServer on a random UDP+TCP port, everything on 127.0.0.1.
 */
export async function startTestSfu(
  publicPem: string,
  env: Record<string, string> = {},
  extra: Partial<SignallingOptions> = {},
): Promise<Sfu & { url: string }> {
  const config = loadConfig({
    SFU_PORT: '0',
    SFU_HOST: '127.0.0.1',
    SFU_RTC_PORT: '0',
    SFU_LISTEN_IP: '127.0.0.1',
    SFU_ANNOUNCED_ADDRESS: '127.0.0.1',
    SFU_WORKERS: '1',
    JOIN_TOKEN_PUBLIC_KEY: publicPem,
    LOG_LEVEL: process.env.SFU_TEST_LOG_LEVEL ?? 'warn',
    ...env,
  });
  const sfu = await startSfu(config, createLogger(config.logLevel), extra);
  return Object.assign(sfu, { url: `http://127.0.0.1:${sfu.port}` });
}
