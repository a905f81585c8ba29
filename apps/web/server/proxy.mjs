// Reverse proxy of the one origin: which path goes to which upstream, and the relay itself
// (plain requests and websocket upgrades). Node's http module only.
import http from 'node:http';

/** The SFU's socket.io is published under this path; the SFU itself serves it at /socket.io. */
export const SFU_SIGNALLING_PATH = '/sfu/socket.io';

/**
 * The routing table: `/api`, `/health*` and the collaboration socket.io (`/socket.io`, namespace
 * `/collab`) go to the API; SFU signalling under `/sfu/socket.io` goes to the SFU without the
 * `/sfu` prefix. Anything else is the web client's (null).
 */
export function route(url, upstreams) {
  if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?'))
    return { name: 'API', target: upstreams.api, path: url };
  if (url === '/health' || url.startsWith('/health/') || url.startsWith('/health?'))
    return { name: 'API', target: upstreams.api, path: url };
  if (url.startsWith('/socket.io/')) return { name: 'API', target: upstreams.api, path: url };
  if (url.startsWith(`${SFU_SIGNALLING_PATH}/`))
    return { name: 'SFU', target: upstreams.sfu, path: url.slice('/sfu'.length) };
  return null;
}

function forwardedHeaders(req, target, secure) {
  const headers = { ...req.headers, host: target.host };
  const from = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${from}`
    : from;
  headers['x-forwarded-proto'] = secure ? 'https' : 'http';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  return headers;
}

function upstreamRequest(req, hop, secure) {
  return http.request({
    hostname: hop.target.hostname,
    port: hop.target.port || 80,
    method: req.method,
    path: hop.path,
    headers: forwardedHeaders(req, hop.target, secure),
  });
}

/**
 * Relay one HTTP request; an unreachable upstream is a 502 in the API's error shape (and
 * `unreachable` is told, so a balancer leaves that instance out for a moment).
 */
export function proxyRequest(req, res, hop, secure, unreachable = () => {}) {
  const upstream = upstreamRequest(req, hop, secure);
  upstream.on('response', (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    if (['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH'].includes(err?.code)) unreachable();
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        statusCode: 502,
        error: 'Bad Gateway',
        message: `The ${hop.name} is not reachable`,
      }),
    );
  });
  req.pipe(upstream);
}

/** Relay a websocket upgrade: once the upstream agrees, the two raw sockets are piped. */
export function proxyUpgrade(req, socket, head, hop, secure) {
  const upstream = upstreamRequest(req, hop, secure);
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
    upSocket.on('close', () => socket.destroy());
    socket.on('close', () => upSocket.destroy());
  });
  upstream.on('response', (upRes) => {
    socket.end(`HTTP/1.1 ${upRes.statusCode} ${upRes.statusMessage}\r\n\r\n`);
  });
  upstream.on('error', () => socket.destroy());
  upstream.end();
}
