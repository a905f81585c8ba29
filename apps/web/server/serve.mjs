// Production server of the one origin: serves apps/web/dist (precompressed, with an SPA fallback)
// and proxies /api, /health and the collaboration socket.io to the API and /sfu/socket.io to the
// SFU (websocket upgrades included), so a browser and a hospital firewall see one address. With
// TLS_CERT_FILE and TLS_KEY_FILE it speaks HTTPS itself (LAN mode of `npm start`). Node's http
// module only: nothing to install on a hospital server beyond Node.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { proxyRequest, proxyUpgrade, route } from './proxy.mjs';
import { apiBalancer } from './balancer.mjs';
import { staticHandler } from './static.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const distDir = path.resolve(env.WEB_DIST ?? path.join(here, '..', 'dist'));
const port = Number(env.WEB_PORT ?? 8080);
const host = env.HOST ?? '0.0.0.0';
// API_URL may name several API instances (comma-separated): requests are balanced between them.
const apis = apiBalancer(env.API_URL ?? 'http://127.0.0.1:3000');
const sfuUpstream = new URL(env.SFU_INTERNAL_URL ?? `http://127.0.0.1:${env.SFU_PORT ?? 4000}`);
/** The upstreams for one request: sockets stick to an instance by client address. */
function upstreamsFor(req) {
  const url = req.url ?? '/';
  const sticky = url.startsWith('/socket.io/') ? (req.socket.remoteAddress ?? '') : undefined;
  const api = apis.pick(sticky);
  return { api, sfu: sfuUpstream, unreachable: () => apis.unreachable(api) };
}
const tls =
  env.TLS_CERT_FILE && env.TLS_KEY_FILE
    ? { cert: fs.readFileSync(env.TLS_CERT_FILE), key: fs.readFileSync(env.TLS_KEY_FILE) }
    : null;
const secure = Boolean(tls);
const serveStatic = staticHandler(distDir);
// LAN mode's local CA (a public certificate): phones and PCs download it here to trust it once.
const caCert = env.TLS_CA_FILE ? fs.readFileSync(env.TLS_CA_FILE) : null;

const handler = (req, res) => {
  if (caCert && req.url === '/ca.crt') {
    res.writeHead(200, {
      'content-type': 'application/x-x509-ca-cert',
      'content-disposition': 'attachment; filename="caunoi-ca.crt"',
      'cache-control': 'no-cache',
    });
    res.end(caCert);
    return;
  }
  const upstreams = upstreamsFor(req);
  const hop = route(req.url ?? '/', upstreams);
  if (hop) proxyRequest(req, res, hop, secure, upstreams.unreachable);
  else serveStatic(req, res);
};
const server = tls ? https.createServer(tls, handler) : http.createServer(handler);

// Open websocket tunnels: closed on shutdown, or server.close() would wait for them forever.
const tunnels = new Set();
server.on('upgrade', (req, socket, head) => {
  tunnels.add(socket);
  socket.once('close', () => tunnels.delete(socket));
  const hop = route(req.url ?? '/', upstreamsFor(req));
  if (!hop) {
    socket.destroy();
    return;
  }
  proxyUpgrade(req, socket, head, hop, secure);
});

server.listen(port, host, () => {
  const addr = server.address();
  console.log(
    JSON.stringify({
      msg: 'web listening',
      port: typeof addr === 'object' && addr ? addr.port : port,
      tls: secure,
      api: apis.targets.map((u) => u.origin),
      sfu: sfuUpstream.origin,
      dist: distDir,
    }),
  );
});

for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    for (const socket of tunnels) socket.destroy();
    setTimeout(() => process.exit(0), 3000).unref();
  });
