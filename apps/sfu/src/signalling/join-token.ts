import jwt from 'jsonwebtoken';
import {
  JOIN_TOKEN_ALGORITHM,
  JOIN_TOKEN_AUDIENCE,
  JOIN_TOKEN_ISSUER,
  JoinTokenClaimsSchema,
  type JoinTokenClaims,
} from '@caunoi/shared';
import { SfuError } from '../errors';

export interface VerifiedJoinToken {
  claims: JoinTokenClaims;
  /** Expiry (seconds since epoch). */
  exp: number;
  expired: boolean;
}

/**
 * Verify a join token signed by the API (ES256, issuer/audience from libs/shared) with the API's
 * public key. The session id (`sid`) is the room. An expired token is refused unless
 * `allowExpired` (used only to resume a peer that this very token admitted).
 */
export function verifyJoinToken(
  token: unknown,
  publicKey: string,
  opts: { allowExpired?: boolean } = {},
): VerifiedJoinToken {
  if (typeof token !== 'string' || token.length === 0)
    throw new SfuError('unauthorized', 'join token missing (auth: { token })');
  if (token.length > 8192) throw new SfuError('unauthorized', 'join token too long');
  let payload: string | jwt.JwtPayload;
  let expired = false;
  const options: jwt.VerifyOptions = {
    algorithms: [JOIN_TOKEN_ALGORITHM as jwt.Algorithm],
    issuer: JOIN_TOKEN_ISSUER,
    audience: JOIN_TOKEN_AUDIENCE,
    clockTolerance: 5,
  };
  try {
    payload = jwt.verify(token, publicKey, options);
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError && opts.allowExpired) {
      payload = jwt.verify(token, publicKey, { ...options, ignoreExpiration: true });
      expired = true;
    } else if (err instanceof jwt.TokenExpiredError) {
      throw new SfuError('unauthorized', 'join token expired: ask the API for a new one');
    } else {
      throw new SfuError('unauthorized', `join token rejected: ${(err as Error).message}`);
    }
  }
  if (typeof payload === 'string' || typeof payload.exp !== 'number') {
    throw new SfuError('unauthorized', 'join token has no expiry');
  }
  const parsed = JoinTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SfuError(
      'unauthorized',
      `join token claims invalid: ${issue?.path.join('.')} ${issue?.message}`,
    );
  }
  return { claims: parsed.data, exp: payload.exp, expired };
}
