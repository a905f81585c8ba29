import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import type { ApiError } from '@caunoi/shared';

/**
 * What a failed PostgreSQL call means for the client. The driver's error (raw, or wrapped by
 * TypeORM as `driverError`) carries a SQLSTATE code and, for constraint violations, the column
 * or constraint; its `detail` also holds the offending value, which is never echoed back.
 */
interface PgError {
  code?: string;
  errno?: number | string;
  message?: string;
  column?: string;
  constraint?: string;
  table?: string;
  detail?: string;
}

function pgErrorOf(err: unknown): PgError | null {
  if (!err || typeof err !== 'object') return null;
  const wrapped = (err as { driverError?: unknown }).driverError;
  return ((wrapped && typeof wrapped === 'object' ? wrapped : err) as PgError) ?? null;
}

const camel = (column: string) =>
  column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Columns named in `Key (a, lower(b::text))=(…)`, as API field names. */
function keyFields(detail: string | undefined): string[] {
  const list = /Key \((.+?)\)=\(/.exec(detail ?? '')?.[1];
  if (!list) return [];
  return list
    .split(',')
    .map((k) => /([a-z_][a-z0-9_]*)\)*\s*$/i.exec(k.replace(/::[a-z ]+/gi, ''))?.[1])
    .filter((k): k is string => !!k)
    .map(camel);
}

/** `consultations_status_check` on table `consultations` → `status`. */
function constraintField(e: PgError): string | null {
  let name = e.constraint ?? '';
  if (e.table && name.startsWith(`${e.table}_`)) name = name.slice(e.table.length + 1);
  name = name.replace(/_(check|fkey|key|excl)$/, '');
  return name ? camel(name) : null;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovering)
  '53300', // too_many_connections
]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|the database system is|terminating connection|server closed the connection|Cannot use a pool after calling end|Client was closed/i;

/** True when the database could not be reached or dropped the connection: retry later. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = pgErrorOf(err);
  if (!e) return false;
  const code = String(e.code ?? '');
  if (CONNECTION_CODES.has(code) || code.startsWith('08')) return true;
  // TypeORM gives a connection back to the pool when the server drops it; what the transaction
  // still had to run then fails with one of these instead of a connection error — the COMMIT
  // itself among them (it never reached the server, so nothing was written: retry).
  if (
    err instanceof QueryRunnerProviderAlreadyReleasedError ||
    err instanceof QueryRunnerAlreadyReleasedError
  )
    return true;
  const messages = [e.message, (err as { message?: string }).message];
  return messages.some((m) => typeof m === 'string' && CONNECTION_MESSAGES.test(m));
}

const issue = (status: 400 | 409, error: string, path: string, message: string): ApiError => ({
  statusCode: status,
  error,
  message: `${path}: ${message}`,
  details: [{ path, message }],
});

/**
 * The answer to a constraint or data error PostgreSQL raised on bad input, naming the field when
 * the error says which; null for anything else (a bug, an outage).
 */
export function databaseErrorBody(err: unknown): ApiError | null {
  const e = pgErrorOf(err);
  const code = typeof e?.code === 'string' ? e.code : '';
  if (!e || !/^(22|23|40)/.test(code)) return null;
  switch (code) {
    case '23503': {
      const field = keyFields(e.detail)[0] ?? constraintField(e) ?? '(root)';
      return e.detail?.includes('is still referenced')
        ? issue(409, 'Conflict', field, 'is still in use by other records')
        : issue(400, 'Bad Request', field, 'refers to something that does not exist');
    }
    case '23505': {
      const field = keyFields(e.detail).join(', ') || constraintField(e) || '(root)';
      return issue(409, 'Conflict', field, 'a record with the same value already exists');
    }
    case '23P01':
      return issue(409, 'Conflict', constraintField(e) ?? '(root)', 'overlaps an existing record');
    case '23502':
      return issue(400, 'Bad Request', e.column ? camel(e.column) : '(root)', 'is required');
    case '23514':
      return issue(400, 'Bad Request', constraintField(e) ?? '(root)', 'is not an allowed value');
    case '40001':
    case '40P01':
      return issue(409, 'Conflict', '(root)', 'conflicted with a concurrent change; retry');
  }
  if (code.startsWith('22'))
    return issue(
      400,
      'Bad Request',
      e.column ? camel(e.column) : '(root)',
      'A value has the wrong format or is out of range',
    );
  return null;
}
