import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkerPool } from '../media/worker-pool';
import type { RoomManager } from '../rooms/room-manager';
import { httpHandler } from './http';
import type { SfuMetrics } from './metrics';

const metrics = {
  registry: { metrics: async () => 'sfu_rooms 3\n', contentType: 'text/plain' },
} as unknown as SfuMetrics;

/** Status of GET /metrics from an address, through the real handler. */
function statusFrom(remoteAddress: string, publicMetrics = false): Promise<number> {
  const handler = httpHandler({} as WorkerPool, {} as RoomManager, metrics, publicMetrics);
  return new Promise((resolve) => {
    const res = {
      writeHead: (status: number) => ({ end: () => resolve(status) }),
    } as unknown as ServerResponse;
    handler({ method: 'GET', url: '/metrics', socket: { remoteAddress } } as IncomingMessage, res);
  });
}

describe('SFU /metrics exposure', () => {
  it('answers this host only, unless SFU_METRICS_PUBLIC', async () => {
    expect(await statusFrom('127.0.0.1')).toBe(200);
    expect(await statusFrom('::ffff:127.0.0.1')).toBe(200);
    expect(await statusFrom('203.0.113.9')).toBe(404);
    expect(await statusFrom('::ffff:192.168.1.20')).toBe(404);
    expect(await statusFrom('203.0.113.9', true)).toBe(200);
  });
});
