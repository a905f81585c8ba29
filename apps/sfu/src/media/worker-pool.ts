import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { MEDIA_CODECS } from './codecs';

export interface WorkerPoolOptions {
  size: number;
  /** First WebRtcServer port; slot i listens on basePort + i. 0 = random ports (tests). */
  basePort: number;
  listenIp: string;
  announcedAddress: string;
  logLevel: types.WorkerLogLevel;
  /** Delay before a dead worker is replaced (ms); avoids a tight crash loop. */
  respawnDelayMs?: number;
}

/**
 * One slot per core. A slot owns one mediasoup Worker and its WebRtcServer (one UDP and one TCP
 * port, so a hospital firewall needs a single rule per worker). When a worker dies the slot gets a
 * new worker on the same ports; routers it carried are gone and the rooms must rebuild.
 */
export class WorkerSlot {
  /** Routers currently alive on this slot's worker, with their consumer/producer counts. */
  readonly routers = new Set<types.Router>();
  consumers = 0;
  producers = 0;
  deaths = 0;
  constructor(
    readonly index: number,
    public worker: types.Worker,
    public webRtcServer: types.WebRtcServer,
  ) {}

  get pid(): number {
    return this.worker.pid;
  }

  get alive(): boolean {
    return !this.worker.closed && !this.worker.died;
  }

  /** Placement score: consumers dominate the CPU cost of an SFU; producers and routers break ties. */
  get load(): number {
    return this.consumers + this.producers * 2 + this.routers.size;
  }
}

export interface WorkerPoolEvents {
  /** A worker died; its routers are closed. Listeners rebuild what lived on it. */
  workerDied: [slot: WorkerSlot, error: Error];
  workerReplaced: [slot: WorkerSlot];
}

export interface RouterLoad {
  consumers: number;
  producers: number;
}

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  readonly slots: WorkerSlot[] = [];
  private closing = false;

  /** True once the pool is shutting down: it takes no new rooms (readiness says so). */
  get isClosing(): boolean {
    return this.closing;
  }
  private loads = new WeakMap<types.Router, RouterLoad>();

  constructor(
    private readonly opts: WorkerPoolOptions,
    private readonly log: Logger,
  ) {
    super();
  }

  async start(): Promise<void> {
    if (!existsSync(mediasoup.workerBin)) {
      throw new Error(
        `mediasoup worker binary not found at ${mediasoup.workerBin}: set MEDIASOUP_WORKER_BIN ` +
          'or build it (node tools/mediasoup-worker/ensure-worker.mjs)',
      );
    }
    for (let i = 0; i < this.opts.size; i++) {
      const { worker, server } = await this.spawn(i);
      const slot = new WorkerSlot(i, worker, server);
      this.slots.push(slot);
      this.watch(slot);
    }
    this.log.info(
      { workers: this.slots.length, ports: this.slots.map((s) => this.portsOf(s)) },
      'mediasoup workers started',
    );
  }

  private portsOf(slot: WorkerSlot): string {
    const infos = (slot.webRtcServer.appData as { ports?: string }).ports;
    return infos ?? '?';
  }

  private async spawn(
    index: number,
  ): Promise<{ worker: types.Worker; server: types.WebRtcServer }> {
    const worker = await mediasoup.createWorker({
      logLevel: this.opts.logLevel,
      logTags: [
        'info',
        'ice',
        'dtls',
        'rtp',
        'srtp',
        'rtcp',
        'rtx',
        'bwe',
        'score',
        'simulcast',
        'svc',
      ],
      appData: { index },
    });
    const port = this.opts.basePort === 0 ? undefined : this.opts.basePort + index;
    const listen = (protocol: 'udp' | 'tcp'): types.TransportListenInfo => ({
      protocol,
      ip: this.opts.listenIp,
      announcedAddress: this.opts.announcedAddress,
      ...(port === undefined ? {} : { port }),
    });
    let server: types.WebRtcServer;
    try {
      server = await worker.createWebRtcServer({ listenInfos: [listen('udp'), listen('tcp')] });
    } catch (err) {
      worker.close();
      throw new Error(
        `WebRtcServer for worker ${index} could not listen on ${this.opts.listenIp}:${port ?? 'random'} (UDP+TCP): ${(err as Error).message}`,
      );
    }
    const dump = await server.dump();
    const udp = dump.udpSockets[0];
    const tcp = dump.tcpServers[0];
    server.appData.ports = `udp:${udp?.port} tcp:${tcp?.port}`;
    server.appData.udpPort = udp?.port;
    server.appData.tcpPort = tcp?.port;
    return { worker, server };
  }

  private watch(slot: WorkerSlot): void {
    const worker = slot.worker;
    worker.on('died', (error) => {
      if (this.closing) return;
      slot.deaths++;
      this.log.error(
        { worker: slot.index, pid: worker.pid, err: error.message },
        'mediasoup worker died; replacing it',
      );
      slot.routers.clear();
      slot.consumers = 0;
      slot.producers = 0;
      this.emit('workerDied', slot, error);
      void this.replace(slot);
    });
  }

  private async replace(slot: WorkerSlot, attempt = 0): Promise<void> {
    if (this.closing) return;
    const delay =
      attempt === 0 ? (this.opts.respawnDelayMs ?? 100) : Math.min(10_000, 500 * 2 ** attempt);
    await new Promise((r) => setTimeout(r, delay));
    if (this.closing) return;
    try {
      const { worker, server } = await this.spawn(slot.index);
      slot.worker = worker;
      slot.webRtcServer = server;
      this.watch(slot);
      this.log.info(
        { worker: slot.index, pid: worker.pid, ports: this.portsOf(slot) },
        'mediasoup worker replaced',
      );
      this.emit('workerReplaced', slot);
    } catch (err) {
      this.log.error(
        { worker: slot.index, attempt, err: (err as Error).message },
        'could not replace mediasoup worker; retrying',
      );
      void this.replace(slot, attempt + 1);
    }
  }

  aliveSlots(): WorkerSlot[] {
    return this.slots.filter((s) => s.alive);
  }

  /** The least-loaded live slot, optionally avoiding some (e.g. workers a room already uses). */
  leastLoaded(exclude: ReadonlySet<WorkerSlot> = new Set()): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const slot of this.slots) {
      if (!slot.alive || exclude.has(slot)) continue;
      if (!best || slot.load < best.load) best = slot;
    }
    return best;
  }

  /** A router on the given slot whose consumers/producers are counted for placement. */
  async createRouter(
    slot: WorkerSlot,
    appData: Record<string, unknown> = {},
  ): Promise<types.Router> {
    const router = await slot.worker.createRouter({
      mediaCodecs: MEDIA_CODECS,
      appData: { ...appData, slot: slot.index },
    });
    slot.routers.add(router);
    const load: RouterLoad = { consumers: 0, producers: 0 };
    this.loads.set(router, load);
    const worker = slot.worker;
    router.observer.on('close', () => {
      if (slot.worker === worker) slot.routers.delete(router);
    });
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newproducer', (producer) => {
        if (slot.worker !== worker) return;
        slot.producers++;
        load.producers++;
        producer.observer.on('close', () => {
          load.producers--;
          if (slot.worker === worker) slot.producers = Math.max(0, slot.producers - 1);
        });
      });
      transport.observer.on('newconsumer', (consumer) => {
        if (slot.worker !== worker) return;
        slot.consumers++;
        load.consumers++;
        consumer.observer.on('close', () => {
          load.consumers--;
          if (slot.worker === worker) slot.consumers = Math.max(0, slot.consumers - 1);
        });
      });
    });
    return router;
  }

  /** Consumers and producers on one router (pipe transports included). */
  routerLoad(router: types.Router): RouterLoad {
    return this.loads.get(router) ?? { consumers: 0, producers: 0 };
  }

  /** Wait for a live slot (e.g. while a dead worker is being replaced). */
  async waitForSlot(
    timeoutMs: number,
    exclude: ReadonlySet<WorkerSlot> = new Set(),
  ): Promise<WorkerSlot> {
    const found = this.leastLoaded(exclude) ?? this.leastLoaded();
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('workerReplaced', onReplaced);
        reject(new Error('no mediasoup worker available'));
      }, timeoutMs);
      const onReplaced = (slot: WorkerSlot) => {
        clearTimeout(timer);
        this.off('workerReplaced', onReplaced);
        resolve(slot);
      };
      this.on('workerReplaced', onReplaced);
    });
  }

  slotOf(router: types.Router): WorkerSlot | undefined {
    return this.slots.find((s) => s.routers.has(router));
  }

  /**
   * Shutting down: from now on a worker that dies is not replaced. Called first on shutdown, since
   * the same signal may reach the workers directly (Ctrl+C in a terminal signals the whole group).
   */
  beginClose(): void {
    this.closing = true;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const slot of this.slots) slot.worker.close();
  }
}
