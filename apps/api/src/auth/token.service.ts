import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../config/config.module';

const ISSUER = 'caunoi-api';
const AUDIENCE = 'caunoi';

export interface AccessClaims {
  sub: string;
  roles: string[];
  fid: string | null;
}

/** Access tokens are short-lived JWTs; refresh tokens are opaque random strings stored hashed. */
@Injectable()
export class TokenService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  signAccess(claims: AccessClaims): string {
    return jwt.sign({ roles: claims.roles, fid: claims.fid }, this.config.AUTH_JWT_SECRET, {
      algorithm: 'HS256',
      subject: claims.sub,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      jwtid: randomUUID(),
    });
  }

  /** Returns the claims, or null for anything expired, forged or malformed. */
  verifyAccess(token: string): AccessClaims | null {
    try {
      const p = jwt.verify(token, this.config.AUTH_JWT_SECRET, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      }) as jwt.JwtPayload;
      if (typeof p.sub !== 'string') return null;
      return { sub: p.sub, roles: (p.roles as string[]) ?? [], fid: (p.fid as string) ?? null };
    } catch {
      return null;
    }
  }

  newRefreshToken(): { token: string; hash: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    return {
      token,
      hash: this.hashRefresh(token),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
    };
  }

  hashRefresh(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
