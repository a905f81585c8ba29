import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './logger';
import { startSfu } from './server';
import { loadClusterConfig } from './cluster/cluster-config';

async function main(): Promise<void> {
  let config;
  let cluster;
  try {
    config = loadConfig();
    cluster = loadClusterConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  // A stray rejection must not take every room down with it (Node's default is to exit).
  process.on('unhandledRejection', (reason) => {
    log.error(
      { err: (reason as Error)?.message ?? String(reason), stack: (reason as Error)?.stack },
      'unhandled rejection',
    );
  });
  const sfu = await startSfu(config, log, {}, cluster);
  // Maintenance of one node of several: `kill -USR2 <pid>` takes it out of placement.
  process.on('SIGUSR2', () => void sfu.cluster?.drain());
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    sfu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`SFU failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
