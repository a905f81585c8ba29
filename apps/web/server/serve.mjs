// Production server for the web client: serves apps/web/dist with an SPA fallback and proxies
// /api, /health and /socket.io (websocket upgrades included) to the API, so the browser talks to
// one origin. Node's http module only: nothing to install on a hospital server beyond Node.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(process.env.WEB_DIST ?? path.join(here, '..', 'dist'));
const port = Number(process.env.WEB_PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
const api = new URL(process.env.API_URL ?? 'http://127.0.0.1:3000');

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
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  // Camera, microphone and screen capture for this origin only.
  'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self)',
};

function isProxied(url) {
  return (
    url.startsWith('/api/') ||
    url === '/api' ||
    url.startsWith('/health') ||
    url.startsWith('/socket.io/')
  );
}

function hopHeaders(req) {
  const headers = { ...req.headers, host: api.host };
  const fwd = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${fwd}`
    : fwd;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  return headers;
}

function proxy(req, res) {
  const upstream = http.request(
    {
      hostname: api.hostname,
      port: api.port || 80,
      method: req.method,
      path: req.url,
      headers: hopHeaders(req),
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
    }
    res.end(
      JSON.stringify({
        statusCode: 502,
        error: 'Bad Gateway',
        message: 'The API is not reachable',
      }),
    );
  });
  req.pipe(upstream);
}

function sendFile(res, file, cacheable) {
  const ext = path.extname(file).toLowerCase();
  // Open before answering: a file that vanished (e.g. during a rebuild of dist/) must give a 503,
  // not an unhandled stream error that takes the whole server down.
  const stream = fs.createReadStream(file);
  stream.once('error', () => {
    if (!res.headersSent) res.writeHead(503, { ...SECURITY_HEADERS, 'retry-after': '2' });
    res.end();
  });
  stream.once('open', () => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': cacheable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    stream.pipe(res);
  });
}

function serveStatic(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
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
  if (file.startsWith(distDir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
    sendFile(res, file, pathname.startsWith('/assets/'));
    return;
  }
  // A missing asset is a real 404; any other path is a client-side route.
  if (pathname.startsWith('/assets/')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  sendFile(res, path.join(distDir, 'index.html'), false);
}

const server = http.createServer((req, res) => {
  if (isProxied(req.url ?? '')) proxy(req, res);
  else serveStatic(req, res);
});

// WebSocket upgrade for the collaboration gateway: relay the raw sockets once the API agrees.
server.on('upgrade', (req, socket, head) => {
  if (!isProxied(req.url ?? '')) {
    socket.destroy();
    return;
  }
  const upstream = http.request({
    hostname: api.hostname,
    port: api.port || 80,
    method: req.method,
    path: req.url,
    headers: hopHeaders(req),
  });
  upstream.on('upgrade', (upRes, upSocket, upHead) => {
    const lines = [`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}`];
    for (let i = 0; i < upRes.rawHeaders.length; i += 2)
      lines.push(`${upRes.rawHeaders[i]}: ${upRes.rawHeaders[i + 1]}`);
    socket.write(lines.join('\r\n') + '\r\n\r\n');
    if (upHead?.length) socket.write(upHead);
    if (head?.length) upSocket.write(head);
    upSocket.pipe(socket).pipe(upSocket);
    upSocket.on('error', () => socket.destroy());
    socket.on('error', () => upSocket.destroy());
  });
  upstream.on('response', (upRes) => {
    socket.end(`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}\r\n\r\n`);
  });
  upstream.on('error', () => socket.destroy());
  upstream.end();
});

server.listen(port, host, () => {
  const addr = server.address();
  console.log(
    JSON.stringify({
      msg: 'web listening',
      port: typeof addr === 'object' && addr ? addr.port : port,
      api: api.origin,
      dist: distDir,
    }),
  );
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
