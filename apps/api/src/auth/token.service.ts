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
  /** The sign-in (refresh-token family) this token belongs to. */
  sid?: string;
}

/**
 * Single-purpose tokens of an unfinished sign-in: `mfa` (password checked, second factor due;
 * only POST /auth/mfa takes it), `password_change` and `mfa_enrolment` (bearer tokens that open
 * only the routes of that step). Their own audience, so the access-token check refuses them.
 */
export type StepScope = 'mfa' | 'password_change' | 'mfa_enrolment';
const STEP_AUDIENCE = 'caunoi-step';
const STEP_TTL_SECONDS = 300;

/** Access tokens are short-lived JWTs; refresh tokens are opaque random strings stored hashed. */
@Injectable()
export class TokenService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  signAccess(claims: AccessClaims): string {
    const payload = { roles: claims.roles, fid: claims.fid, sid: claims.sid };
    return jwt.sign(payload, this.config.AUTH_JWT_SECRET, {
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
      return {
        sub: p.sub,
        roles: (p.roles as string[]) ?? [],
        fid: (p.fid as string) ?? null,
        sid: (p.sid as string) ?? undefined,
      };
    } catch {
      return null;
    }
  }

  /** Seconds until an access token expires (0 when it is already invalid). */
  secondsLeft(token: string): number {
    const p = jwt.decode(token) as jwt.JwtPayload | null;
    return p?.exp ? Math.max(0, p.exp - Math.floor(Date.now() / 1000)) : 0;
  }

  signStep(userId: string, scope: StepScope): string {
    return jwt.sign({ scope }, this.config.AUTH_JWT_SECRET, {
      algorithm: 'HS256',
      subject: userId,
      issuer: ISSUER,
      audience: STEP_AUDIENCE,
      expiresIn: STEP_TTL_SECONDS,
      jwtid: randomUUID(),
    });
  }

  /** The user id of a valid step token of one of these scopes, else null. */
  verifyStep(
    token: string,
    scopes: readonly StepScope[],
  ): { sub: string; scope: StepScope } | null {
    try {
      const p = jwt.verify(token, this.config.AUTH_JWT_SECRET, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: STEP_AUDIENCE,
      }) as jwt.JwtPayload;
      const scope = p.scope as StepScope;
      if (typeof p.sub !== 'string' || !scopes.includes(scope)) return null;
      return { sub: p.sub, scope };
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
