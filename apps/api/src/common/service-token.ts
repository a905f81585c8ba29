import { UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { ApiException } from './errors';

/**
 * The SFU's calls into the API carry `Authorization: Bearer <SFU_SERVICE_TOKEN>` (a service's
 * secret, not a user's token). 503 when the deployment has no token, 401 on any other value.
 */
export function requireServiceToken(header: string | undefined, expected: string | undefined) {
  if (!expected)
    throw new ApiException(503, 'The SFU channel is not configured (SFU_SERVICE_TOKEN is unset)');
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(expected);
  if (given.length !== want.length || !timingSafeEqual(given, want))
    throw new UnauthorizedException('Invalid service token');
}
