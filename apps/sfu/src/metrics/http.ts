import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkerPool } from '../media/worker-pool';
import type { RoomManager } from '../rooms/room-manager';
import type { SfuMetrics } from './metrics';

/** GET /health and GET /metrics, served by the same HTTP server as socket.io. */
export function httpHandler(pool: WorkerPool, rooms: RoomManager, metrics: SfuMetrics) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/health') {
      const alive = pool.aliveSlots().length;
      const status = alive > 0 ? 'ok' : 'degraded';
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
    if (path === '/metrics') {
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
        message: 'GET /health, GET /metrics, socket.io at /socket.io',
      }),
    );
  };
}
