import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * Domain failures as values with a message a clinician or operator can act on. The exception
 * filter turns every one of them into `{ statusCode, error, message, details? }`.
 */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    message: string,
    readonly details?: unknown,
  ) {
    super({ message, details }, status);
  }
}

export const notFound = (what: string) =>
  new ApiException(HttpStatus.NOT_FOUND, `${what} not found`);
export const forbidden = (message: string) => new ApiException(HttpStatus.FORBIDDEN, message);
export const conflict = (message: string, details?: unknown) =>
  new ApiException(HttpStatus.CONFLICT, message, details);
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
  return new ApiException(
    HttpStatus.BAD_REQUEST,
    summary ?? list.map((i) => `${i.path}: ${i.message}`).join('; '),
    list,
  );
}
