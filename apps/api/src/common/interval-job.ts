import type { Logger } from '@nestjs/common';

/**
 * Runs `run()` every `ms` (not at all for 0) without keeping the process alive; a failed round is
 * logged and the next one tries again (a database outage must not end the job). Returns the timer
 * for `clearInterval` at shutdown.
 */
export function everyInterval(
  ms: number,
  run: () => Promise<unknown>,
  log: Logger,
  what: string,
): NodeJS.Timeout | undefined {
  if (!ms) return undefined;
  const timer = setInterval(() => {
    run().catch((err: Error) => log.warn(`${what} failed, will retry: ${err.message}`));
  }, ms);
  timer.unref();
  return timer;
}
