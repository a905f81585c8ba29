// Static files of the built client with an SPA fallback. `vite build` writes a brotli (.br) and
// a gzip (.gz) copy next to every compressible file; the copy the browser accepts is sent as is
// (a commune on 256 kbit/s fetches a fifth of the bytes), nothing is compressed per request.
import fs from 'node:fs';
import path from 'node:path';
import { securityHeaders } from './security-headers.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

// HSTS is added when the server speaks TLS itself (TLS_CERT_FILE): see security-headers.mjs.
export const SECURITY_HEADERS = securityHeaders(
  process.env,
  Boolean(process.env.TLS_CERT_FILE && process.env.TLS_KEY_FILE),
);

/** Encodings in the server's order of preference, with the suffix of their precompressed copy. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
];

/** The codings an Accept-Encoding header allows (q=0 refuses one; `*` allows the rest). */
export function acceptedEncodings(header) {
  const allowed = new Set();
  const refused = new Set();
  let wildcard = false;
  for (const part of String(header ?? '').split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const ok = !q || Number(q.slice(2)) > 0;
    if (token === '*') wildcard = ok;
    else (ok ? allowed : refused).add(token);
  }
  return ENCODINGS.filter((e) => allowed.has(e.name) || (wildcard && !refused.has(e.name)));
}

function variant(file, acceptEncoding) {
  for (const enc of acceptedEncodings(acceptEncoding)) {
    try {
      const stat = fs.statSync(file + enc.suffix);
      if (stat.isFile()) return { path: file + enc.suffix, stat, encoding: enc.name };
    } catch {
      /* no such copy */
    }
  }
  return { path: file, stat: fs.statSync(file), encoding: null };
}

/**
 * Send one file. Hashed build output under /assets/ never changes under its name, so browsers
 * keep it a year without asking; everything else (index.html above all) is revalidated on every
 * load with its ETag, so a new release is picked up at once and an unchanged one costs a 304.
 */
function sendFile(req, res, file, immutable) {
  let chosen;
  try {
    chosen = variant(file, req.headers['accept-encoding']);
  } catch {
    // Vanished between the lookup and now (a rebuild of dist/): a retryable error, never a crash.
    res.writeHead(503, { ...SECURITY_HEADERS, 'retry-after': '2' }).end();
    return;
  }
  const etag = `"${chosen.stat.size.toString(36)}-${Math.floor(chosen.stat.mtimeMs).toString(36)}${chosen.encoding ? `-${chosen.encoding}` : ''}"`;
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'Accept-Encoding',
    etag,
  };
  if (chosen.encoding) headers['content-encoding'] = chosen.encoding;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  headers['content-length'] = String(chosen.stat.size);
  if (req.method === 'HEAD') {
    res.writeHead(200, headers).end();
    return;
  }
  // Open before answering: a file that vanished must give a 503, not an unhandled stream error.
  const stream = fs.createReadStream(chosen.path);
  stream.once('error', () => {
    if (!res.headersSent) res.writeHead(503, { ...SECURITY_HEADERS, 'retry-after': '2' });
    res.end();
  });
  stream.once('open', () => {
    res.writeHead(200, headers);
    stream.pipe(res);
  });
}

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A request handler for the client in `distDir`: files, or index.html for client-side routes. */
export function staticHandler(distDir) {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = path.resolve(distDir, '.' + pathname);
    if (file.startsWith(distDir + path.sep) && isFile(file)) {
      sendFile(req, res, file, pathname.startsWith('/assets/'));
      return;
    }
    // A missing asset is a real 404; any other path is a client-side route.
    if (pathname.startsWith('/assets/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    sendFile(req, res, path.join(distDir, 'index.html'), false);
  };
}
