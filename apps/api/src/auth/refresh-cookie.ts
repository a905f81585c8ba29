import { UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/config.module';

/**
 * The browser keeps its refresh token in this cookie: httpOnly (no script reads it), SameSite=Strict
 * (no other site's request carries it), Secure over HTTPS, and sent only to the auth routes.
 * Non-browser clients (bots, the SFU's tests) keep using `refreshToken` in the JSON body.
 */
export const REFRESH_COOKIE = 'caunoi_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';
/**
 * CSRF defence on top of SameSite: a request that relies on the cookie must carry this header,
 * which a cross-site form cannot send and a cross-origin script cannot without passing CORS.
 */
export const CSRF_HEADER = 'x-caunoi-csrf';

const secure = (req: Request, config: AppConfig) =>
  config.REFRESH_COOKIE_SECURE === 'auto' ? req.secure : config.REFRESH_COOKIE_SECURE === 'true';

export function setRefreshCookie(
  req: Request,
  res: Response,
  config: AppConfig,
  token: string,
): void {
  res.cookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(req, config),
    path: REFRESH_COOKIE_PATH,
    maxAge: config.SESSION_MAX_AGE_SECONDS * 1000,
  });
}

/** Sets the cookie when a sign-in result carries a refresh token; returns the result unchanged. */
export function withRefreshCookie<T extends object>(
  req: Request,
  res: Response,
  config: AppConfig,
  result: T,
): T {
  if ('refreshToken' in result && typeof result.refreshToken === 'string')
    setRefreshCookie(req, res, config, result.refreshToken);
  return result;
}

export function clearRefreshCookie(req: Request, res: Response, config: AppConfig): void {
  res.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(req, config),
    path: REFRESH_COOKIE_PATH,
  });
}

/**
 * The refresh token of a request: the body's (non-browser clients) or the cookie's, the latter
 * only with the CSRF header. Undefined when there is neither.
 */
export function refreshTokenOf(req: Request, fromBody: string | undefined): string | undefined {
  if (fromBody) return fromBody;
  const cookie = readCookie(req.headers.cookie, REFRESH_COOKIE);
  if (!cookie) return undefined;
  if (!req.headers[CSRF_HEADER])
    throw new UnauthorizedException(`The refresh cookie needs the ${CSRF_HEADER} header`);
  return cookie;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
