import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ZodValidationException } from 'nestjs-zod';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { ZodError } from 'zod';
import type { ApiError } from '@caunoi/shared';
import { databaseErrorBody, isDatabaseUnavailable } from './database-errors';
import { DatabaseUnavailableException } from './errors';

export const DATABASE_RETRY_AFTER_SECONDS = 5;
/** While PostgreSQL is down every request that needs it gets this, with `Retry-After`. */
export const DATABASE_UNAVAILABLE: ApiError = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'The database is unavailable; retry shortly',
  code: 'database_unavailable',
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Entity',
  424: 'Failed Dependency',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function zodErrorBody(error: ZodError, where = 'request'): ApiError {
  const details = error.issues.map((i) => ({
    path: i.path.join('.') || '(root)',
    message: i.message,
  }));
  return {
    statusCode: 400,
    error: REASONS[400],
    message: `Invalid ${where}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    details,
  };
}

/**
 * What an operator needs to find a bug, without what the request carried: a QueryFailedError
 * holds the SQL parameters (patient names, IDs), so only its code and constraint are kept.
 */
export function describeForLog(e: unknown): Record<string, unknown> {
  if (e instanceof QueryFailedError) {
    const d = (
      e as unknown as { driverError?: { code?: string; constraint?: string; table?: string } }
    ).driverError;
    return {
      type: 'QueryFailedError',
      code: d?.code,
      constraint: d?.constraint,
      table: d?.table,
      stack: e.stack?.split('\n').slice(1, 6).join('\n'),
    };
  }
  if (e instanceof Error) return { type: e.name, message: e.message, stack: e.stack };
  return { type: typeof e };
}

/**
 * Every 400 carries `details: [{path, message}]`. The API's own checks build it (`invalidInput()`
 * in `common/errors.ts`); what arrives from elsewhere (a body that is not JSON, a value PostgreSQL
 * could not parse) is about the request as a whole: `(root)`.
 */
export function withIssueList(body: ApiError): ApiError {
  if (body.statusCode !== 400 || Array.isArray(body.details)) return body;
  return { ...body, details: [{ path: '(root)', message: body.message }] };
}

/** Every failure leaves the API in one shape: `{ statusCode, error, message, details? }`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = withIssueList(this.toBody(exception));
    if (body.code === DATABASE_UNAVAILABLE.code)
      this.logger.warn({ err: describeForLog(exception) }, 'database unavailable');
    else if (body.code?.startsWith('pacs_'))
      // A 424: not our fault, but operators should see that a facility's PACS is failing.
      this.logger.warn({ code: body.code, message: body.message }, 'PACS fault');
    else if (body.statusCode >= 500)
      this.logger.error({ err: describeForLog(exception) }, 'unhandled error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const retryAfter = (body.details as { retryAfterSeconds?: number } | undefined)
      ?.retryAfterSeconds;
    if (body.statusCode === 429 && retryAfter) res.setHeader('Retry-After', String(retryAfter));
    if (body.code === DATABASE_UNAVAILABLE.code)
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    // A handler may have set the type of what it meant to send (text/calendar, application/pdf):
    // the error is JSON, and no longer a file to save.
    res.removeHeader('Content-Disposition');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof ZodValidationException) {
      return zodErrorBody(exception.getZodError() as ZodError);
    }
    if (exception instanceof ZodError) return zodErrorBody(exception);
    // Nest wraps body-parser failures in an HttpException whose cause carries body-parser's type.
    const parserType =
      (exception as { type?: string; cause?: { type?: string } })?.type ??
      (exception as { cause?: { type?: string } })?.cause?.type;
    if (
      parserType === 'entity.parse.failed' ||
      (exception instanceof HttpException && exception.cause instanceof SyntaxError)
    ) {
      return { statusCode: 400, error: REASONS[400], message: 'Request body is not valid JSON' };
    }
    if (parserType === 'entity.too.large') {
      return { statusCode: 413, error: REASONS[413], message: 'Request body is too large' };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const r = exception.getResponse();
      let message = exception.message;
      let details: unknown;
      let code: ApiError['code'];
      if (typeof r === 'string') message = r;
      else if (r && typeof r === 'object') {
        const o = r as { message?: unknown; details?: unknown; code?: ApiError['code'] };
        if (Array.isArray(o.message)) message = o.message.join('; ');
        else if (typeof o.message === 'string') message = o.message;
        details = o.details;
        code = o.code;
      }
      return {
        statusCode: status,
        error: REASONS[status] ?? 'Error',
        message,
        ...(code ? { code } : {}),
        ...(details !== undefined ? { details } : {}),
      };
    }
    const err = exception as { type?: string; status?: number; code?: string; message?: string };
    // body-parser / multer failures arrive as plain errors with a status or a type.
    if (err?.type === 'entity.too.large' || err?.code === 'LIMIT_FILE_SIZE') {
      return { statusCode: 413, error: REASONS[413], message: 'Request body is too large' };
    }
    if (err?.type === 'entity.parse.failed') {
      return { statusCode: 400, error: REASONS[400], message: 'Request body is not valid JSON' };
    }
    if (exception instanceof DatabaseUnavailableException || isDatabaseUnavailable(exception))
      return DATABASE_UNAVAILABLE;
    const fromDatabase = databaseErrorBody(exception);
    if (fromDatabase) return fromDatabase;
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      return {
        statusCode: err.status,
        error: REASONS[err.status] ?? 'Error',
        message: err.message ?? 'Request failed',
      };
    }
    return { statusCode: 500, error: REASONS[500], message: 'Internal server error' };
  }
}
