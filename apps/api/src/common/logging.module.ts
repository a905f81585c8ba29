import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_CONFIG, AppConfig } from '../config/config.module';

/**
 * The secret of a calendar feed is its file name (`/api/calendar/<token>.ics`): whoever reads
 * it can subscribe to someone's schedule, so it never reaches a log line.
 */
const CALENDAR_FEED = /^(\/api\/calendar\/)[^/]+$/;

/** What a request contributes to a log line: no query string, no secret path, no headers, no body. */
export function logSafeRequest(req: { id?: unknown; method: string; url: string }) {
  const path = req.url.split('?')[0].replace(CALENDAR_FEED, '$1[token].ics');
  return { id: req.id, method: req.method, path };
}

/**
 * Structured JSON logs. Patient data must never reach them: bodies are not logged, and the
 * query string is cut from the URL (`/api/patients?q=<name>` would otherwise leak a name).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // Express 5 route syntax; the default '*' makes Nest print a legacy-route warning at start.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: (req: IncomingMessage) =>
            (req.headers['x-request-id'] as string) || randomUUID(),
          serializers: {
            req: logSafeRequest,
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          customProps: (req: IncomingMessage & { user?: { id: string } }) => ({
            userId: req.user?.id,
          }),
          autoLogging: {
            ignore: (req: IncomingMessage) =>
              req.url === '/health' || req.url === '/health/ready' || req.url === '/metrics',
          },
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        },
      }),
    }),
  ],
})
export class LoggingModule {}
