import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * Domain failures as values with a message a clinician or operator can act on. The exception
 * filter turns every one of them into `{ statusCode, error, message, details? }`.
 */
export class ApiException extends HttpException {
  constructor(status: HttpStatus, message: string, readonly details?: unknown) {
    super({ message, details }, status);
  }
}

export const notFound = (what: string) => new ApiException(HttpStatus.NOT_FOUND, `${what} not found`);
export const forbidden = (message: string) => new ApiException(HttpStatus.FORBIDDEN, message);
export const conflict = (message: string, details?: unknown) => new ApiException(HttpStatus.CONFLICT, message, details);
/**
 * Well-formed input that names something invalid (a facility that does not support the
 * requester, an unknown participant, a chair who was not there): 400 like any validation failure,
 * since SPEC's error contract lists 400 for bad input and no 422. The message names the field.
 */
export const invalidInput = (message: string, details?: unknown) => new ApiException(HttpStatus.BAD_REQUEST, message, details);
export const badRequest = (message: string, details?: unknown) => new ApiException(HttpStatus.BAD_REQUEST, message, details);
