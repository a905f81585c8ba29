import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorCode } from '@caunoi/shared';

/**
 * Domain failures as values with a message a clinician or operator can act on and, where a client
 * may act on the kind of failure rather than its wording, a machine-readable `code` (see
 * ERROR_CODES in libs/shared). The exception filter turns every one of them into
 * `{ statusCode, error, message, code?, details? }`.
 */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    message: string,
    readonly details?: unknown,
    readonly code?: ErrorCode,
  ) {
    super({ message, details, code }, status);
  }
}

/** 404: does not exist, or is outside the caller's scope (the two are never told apart). */
export class NotFoundError extends ApiException {
  constructor(what: string) {
    super(HttpStatus.NOT_FOUND, `${what} not found`, undefined, 'not_found');
  }
}

/** 403: visible to the caller, but the action belongs to someone else. */
export class ForbiddenError extends ApiException {
  constructor(message: string, code: ErrorCode = 'forbidden') {
    super(HttpStatus.FORBIDDEN, message, undefined, code);
  }
}

/** 409: the state of things does not allow it now (a more precise code says which state). */
export class ConflictError extends ApiException {
  constructor(message: string, details?: unknown, code: ErrorCode = 'conflict') {
    super(HttpStatus.CONFLICT, message, details, code);
  }
}

/** 400: the request names something invalid; `details` lists the fields. */
export class InvalidInputError extends ApiException {
  constructor(message: string, issues: FieldIssue[]) {
    super(HttpStatus.BAD_REQUEST, message, issues, 'invalid_input');
  }
}

export const notFound = (what: string) => new NotFoundError(what);
export const forbidden = (message: string, code?: ErrorCode) => new ForbiddenError(message, code);
export const conflict = (message: string, details?: unknown, code?: ErrorCode) =>
  new ConflictError(message, details, code);

/** One problem with the request, named by its field path (`targetFacilityId`, `intervals.0.start`). */
export interface FieldIssue {
  path: string;
  message: string;
  /** Extra data a client can act on (e.g. the facilities that do support the requester). */
  [extra: string]: unknown;
}

/**
 * Every 400 of the API goes through here, so every one carries `details: [{path, message}]` like
 * a schema failure. Well-formed input that names something invalid (a facility that does not
 * support the requester, an unknown participant, a chair who was not there) is a 400 too, since
 * SPEC's error contract lists 400 for bad input and no 422. The message starts with the field
 * (`path: message; …`) unless a whole-request summary is given.
 */
export function invalidInput(issues: FieldIssue | FieldIssue[], summary?: string): ApiException {
  const list = Array.isArray(issues) ? issues : [issues];
  return new InvalidInputError(
    summary ?? list.map((i) => `${i.path}: ${i.message}`).join('; '),
    list,
  );
}

/** 409 when a patient's consent of `kind` does not stand (withdrawn, or never recorded). */
export function consentRefused(
  kind: string,
  state: 'withdrawn' | 'not_recorded',
  doing: string,
): ConflictError {
  return state === 'withdrawn'
    ? new ConflictError(
        `The patient has withdrawn their ${kind} consent; you cannot ${doing} until it is recorded again`,
        { kind, state },
        'consent_withdrawn',
      )
    : new ConflictError(
        `The patient has no recorded ${kind} consent; record it before you ${doing}`,
        { kind, state },
        'consent_missing',
      );
}

/** PostgreSQL cannot be reached: 503 `database_unavailable` with Retry-After (see the filter). */
export class DatabaseUnavailableException extends Error {
  constructor() {
    super('The database is unavailable; retry shortly');
  }
}
