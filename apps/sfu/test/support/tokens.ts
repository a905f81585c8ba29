import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  JOIN_TOKEN_ALGORITHM,
  JOIN_TOKEN_AUDIENCE,
  JOIN_TOKEN_ISSUER,
  type JoinTokenClaims,
} from '@caunoi/shared';

/** An ES256 key pair like the API's, and a signer that signs join tokens the way the API does. */
export function createTokenIssuer() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  function sign(
    claims: Partial<JoinTokenClaims> & { sid: string },
    opts: { expiresIn?: number; key?: string } = {},
  ): string {
    const full: JoinTokenClaims = {
      sub: randomUUID(),
      name: 'Bác sĩ Thử',
      role: 'specialist',
      facility: { id: randomUUID(), name: 'Bệnh viện Trung ương A' },
      moderator: false,
      ...claims,
    };
    return jwt.sign(full, opts.key ?? privatePem, {
      algorithm: JOIN_TOKEN_ALGORITHM as jwt.Algorithm,
      issuer: JOIN_TOKEN_ISSUER,
      audience: JOIN_TOKEN_AUDIENCE,
      expiresIn: opts.expiresIn ?? 120,
    });
  }

  /** A token that expired a minute ago (signed with a past iat). */
  function signExpired(claims: Partial<JoinTokenClaims> & { sid: string }): string {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign(
      {
        sub: randomUUID(),
        name: 'Hết hạn',
        role: 'requester',
        facility: { id: null, name: 'Trạm Y tế xã 1' },
        moderator: false,
        ...claims,
        iat: now - 300,
        exp: now - 60,
      },
      privatePem,
      {
        algorithm: JOIN_TOKEN_ALGORITHM as jwt.Algorithm,
        issuer: JOIN_TOKEN_ISSUER,
        audience: JOIN_TOKEN_AUDIENCE,
      },
    );
  }

  return { privatePem, publicPem, sign, signExpired };
}
export type TokenIssuer = ReturnType<typeof createTokenIssuer>;
