import { Inject, Injectable } from '@nestjs/common';
import { createPrivateKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  JOIN_TOKEN_ALGORITHM,
  JOIN_TOKEN_AUDIENCE,
  JOIN_TOKEN_ISSUER,
  JoinTokenClaims,
} from '@caunoi/shared';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ApiException } from '../common/errors';

/**
 * Signs SFU join tokens with the API's ES256 private key; the SFU holds only the public key, so
 * it can check a token but never mint one.
 */
@Injectable()
export class JoinTokenSigner {
  private key?: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  sign(claims: JoinTokenClaims, nowMs: number): { token: string; expiresAt: Date } {
    const ttl = this.config.JOIN_TOKEN_TTL_SECONDS;
    const iat = Math.floor(nowMs / 1000);
    const token = jwt.sign({ ...claims, iat, exp: iat + ttl }, this.privateKey(), {
      algorithm: JOIN_TOKEN_ALGORITHM,
      issuer: JOIN_TOKEN_ISSUER,
      audience: JOIN_TOKEN_AUDIENCE,
    });
    return { token, expiresAt: new Date((iat + ttl) * 1000) };
  }

  private privateKey(): KeyObject {
    if (this.key) return this.key;
    const pem = this.config.JOIN_TOKEN_PRIVATE_KEY?.replace(/\\n/g, '\n');
    if (!pem)
      throw new ApiException(
        503,
        'Video rooms are not configured on this server (JOIN_TOKEN_PRIVATE_KEY is unset)',
      );
    this.key = createPrivateKey(pem);
    return this.key;
  }
}
