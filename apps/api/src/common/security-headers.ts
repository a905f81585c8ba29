import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * Response headers of every API answer (helmet): a strict Content-Security-Policy (the API serves
 * JSON, files and the OpenAPI page — nothing may frame it or load scripts from elsewhere),
 * X-Frame-Options DENY, Referrer-Policy no-referrer, nosniff, and HSTS on HTTPS requests only
 * (over plain HTTP on a LAN it would only lock the browser out).
 */
export function securityHeaders() {
  const base = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The OpenAPI page (swagger-ui) sets inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.secure)
      res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    base(req, res, next);
  };
}
