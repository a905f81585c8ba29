import type { AckErrorCode } from '@caunoi/shared';

/** An expected failure of a request: becomes `{ ok: false, error: { code, message } }`. */
export class SfuError extends Error {
  override name = 'SfuError';
  constructor(
    readonly code: AckErrorCode,
    message: string,
  ) {
    super(message);
  }
}
