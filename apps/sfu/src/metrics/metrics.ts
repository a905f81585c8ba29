import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { WorkerPool } from '../media/worker-pool';
import type { RoomManager } from '../rooms/room-manager';

/**
 * Prometheus metrics on a registry of our own (several SFUs can share a process in tests).
 * Gauges are computed at scrape time from the rooms and the worker pool.
 */
export class SfuMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'sfu_signalling_requests_total',
    help: 'Signalling requests by request name and result (ok or error code)',
    labelNames: ['request', 'result'] as const,
    registers: [this.registry],
  });
  readonly admissions = new Counter({
    name: 'sfu_admissions_total',
    help: 'Socket admissions by result (ok, resumed, or error code)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly workerDeaths = new Counter({
    name: 'sfu_worker_deaths_total',
    help: 'mediasoup workers that died',
    labelNames: ['worker'] as const,
    registers: [this.registry],
  });
  readonly attendance = new Counter({
    name: 'sfu_attendance_reports_total',
    help: 'Attendance events reported to the API, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sfu_process_' });
  }

  /** Bind the scrape-time gauges to live state. */
  bind(rooms: RoomManager, pool: WorkerPool): void {
    const reg = [this.registry];
    new Gauge({
      name: 'sfu_rooms',
      help: 'Open rooms',
      registers: reg,
      collect() {
        this.set(rooms.rooms.size);
      },
    });
    for (const [name, key, help] of [
      [
        'sfu_peers',
        'peers',
        'Peers in rooms (including those within their reconnect grace period)',
      ],
      ['sfu_producers', 'producers', 'Producers (original, not piped)'],
      ['sfu_consumers', 'consumers', 'Consumers'],
      ['sfu_routers', 'routers', 'Routers in use by rooms'],
    ] as const) {
      new Gauge({
        name,
        help,
        registers: reg,
        collect() {
          this.set(rooms.totals()[key]);
        },
      });
    }
    new Gauge({
      name: 'sfu_workers_alive',
      help: 'mediasoup workers alive',
      registers: reg,
      collect() {
        this.set(pool.aliveSlots().length);
      },
    });
    new Gauge({
      name: 'sfu_worker_cpu_seconds',
      help: 'CPU time (user+system) used by each mediasoup worker process since it started (getResourceUsage)',
      labelNames: ['worker'] as const,
      registers: reg,
      async collect() {
        this.reset();
        await Promise.all(
          pool.aliveSlots().map(async (slot) => {
            const ru = await slot.worker.getResourceUsage().catch(() => undefined);
            if (ru) this.set({ worker: String(slot.index) }, (ru.ru_utime + ru.ru_stime) / 1000);
          }),
        );
      },
    });
    new Gauge({
      name: 'sfu_worker_load',
      help: 'Consumers, producers and routers on each worker',
      labelNames: ['worker', 'kind'] as const,
      registers: reg,
      collect() {
        this.reset();
        for (const slot of pool.aliveSlots()) {
          this.set({ worker: String(slot.index), kind: 'consumers' }, slot.consumers);
          this.set({ worker: String(slot.index), kind: 'producers' }, slot.producers);
          this.set({ worker: String(slot.index), kind: 'routers' }, slot.routers.size);
        }
      },
    });
    new Gauge({
      name: 'sfu_transport_bitrate_bps',
      help: 'Sum over WebRTC transports of the current bitrate, by direction as seen from the SFU',
      labelNames: ['direction'] as const,
      registers: reg,
      async collect() {
        let recv = 0;
        let send = 0;
        const transports = [...rooms.rooms.values()]
          .flatMap((r) => r.allTransports())
          .filter((t) => !t.closed);
        await Promise.all(
          transports.map(async (t) => {
            const stats = await t.getStats().catch(() => []);
            for (const s of stats) {
              recv += s.recvBitrate ?? 0;
              send += s.sendBitrate ?? 0;
            }
          }),
        );
        this.set({ direction: 'in' }, recv);
        this.set({ direction: 'out' }, send);
      },
    });
  }
}
