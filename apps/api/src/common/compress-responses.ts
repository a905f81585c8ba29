import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/**
 * The routes a cookie authenticates (the refresh cookie's path), whose answers carry tokens:
 * never compressed, so that the length of an answer says nothing about a secret in it (BREACH).
 * Every other route is authorised by a bearer header a cross-site page cannot send.
 */
const CREDENTIAL_ROUTES = /^\/api\/auth(\/|$)/;

/** Below this an answer fits one packet anyway; compressing it would only cost time. */
export const COMPRESS_FROM_BYTES = 1024;

/**
 * Whether an answer may be compressed: compressible content, not a credential route, not a part
 * of a file (a Range answer's offsets are the file's own bytes, which a viewer pages through).
 */
export function mayCompress(req: Request, res: Response): boolean {
  if (CREDENTIAL_ROUTES.test(req.path)) return false;
  if (req.headers.range) return false;
  return compression.filter(req, res);
}

/**
 * gzip/deflate for the API's answers: a commune station on 256 kbit/s waits for every byte
 * (a session's JSON shrinks five- to tenfold), and the web server and proxies pass it through.
 */
export function compressResponses(): RequestHandler {
  return compression({ threshold: COMPRESS_FROM_BYTES, filter: mayCompress });
}
