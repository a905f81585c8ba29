import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkerPool } from '../media/worker-pool';
import type { RoomManager } from '../rooms/room-manager';
import type { SfuMetrics } from './metrics';

/** A request from this host (a local Prometheus or agent), not from the network. */
const fromLoopback = (req: IncomingMessage) =>
  /^(127\.|::1$|::ffff:127\.)/.test(req.socket.remoteAddress ?? '');

/**
 * GET /health and GET /metrics, served by the same HTTP server as socket.io. The signalling port
 * is public, and the metrics tell room and peer counts: to other hosts only when `publicMetrics`.
 */
export function httpHandler(
  pool: WorkerPool,
  rooms: RoomManager,
  metrics: SfuMetrics,
  publicMetrics = false,
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    // Liveness (/health) and readiness (/health/ready) for an orchestrator: both need a live
    // mediasoup worker; readiness also refuses while the SFU is shutting down (no new rooms).
    if (path === '/health' || path === '/health/ready') {
      const alive = path === '/health/ready' && pool.isClosing ? 0 : pool.aliveSlots().length;
      const status = alive > 0 ? (path === '/health' ? 'ok' : 'ready') : 'degraded';
      const body = JSON.stringify({
        status,
        workers: { alive, total: pool.slots.length },
        ...rooms.totals(),
      });
      res
        .writeHead(alive > 0 ? 200 : 503, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
        })
        .end(body);
      return;
    }
    if (path === '/metrics' && (publicMetrics || fromLoopback(req))) {
      metrics.registry
        .metrics()
        .then((text) =>
          res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        )
        .catch((err: Error) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(err.message),
        );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        statusCode: 404,
        error: 'Not Found',
        message: 'GET /health, GET /health/ready, GET /metrics, socket.io at /socket.io',
      }),
    );
  };
}
