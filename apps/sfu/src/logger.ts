import pino, { type Logger } from 'pino';

/** JSON logs on stdout (one object per line), ready for any log shipper. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'sfu' }, timestamp: pino.stdTimeFunctions.isoTime });
}
export type { Logger };
