import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { SfuError } from '../errors';
import type { WorkerPool, WorkerSlot } from './worker-pool';

interface RoomRouter {
  router: types.Router;
  slot: WorkerSlot;
}

export interface RoomRoutersHooks {
  /** A router's worker died (mediasoup closed the router and everything on it). */
  workerClosed(): void;
  dominantSpeaker(producer: types.Producer): void;
  /** The room's original producers, to pipe into a new router. */
  producers(): types.Producer[];
  /** The router a producer was created on (its peer's router). */
  homeOf(producer: types.Producer): types.Router | undefined;
}

/**
 * Where one room's media lives: its routers (at most one per worker), the pipes between them and
 * the active-speaker observer. A room starts on the least-loaded worker; when every router is at
 * its consumer budget, new peers get a router on another worker that receives the room's producers
 * through pipeToRouter (producer ids kept, which mediasoup allows only across workers).
 */
export class RoomRouters {
  private routers: RoomRouter[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** `${targetRouterId}:${producerId}` → pipe in progress or done. */
  private pipes = new Map<string, Promise<void>>();
  private activeSpeaker?: types.ActiveSpeakerObserver;
  private closed = false;

  constructor(
    private readonly roomId: string,
    private readonly pool: WorkerPool,
    private readonly maxConsumersPerRouter: number,
    private readonly hooks: RoomRoutersHooks,
    private readonly log: Logger,
  ) {}

  get count(): number {
    return this.routers.length;
  }

  get slots(): WorkerSlot[] {
    return this.routers.map((r) => r.slot);
  }

  slotOf(router: types.Router | undefined): WorkerSlot | undefined {
    return this.routers.find((r) => r.router === router)?.slot;
  }

  /** Placement decisions run one at a time, so two peers arriving together never create two routers. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The first router (created on demand): its capabilities are the room's. */
  async primary(): Promise<types.Router> {
    const first = this.routers[0];
    if (first && !first.router.closed) return first.router;
    return this.serial(async () => (this.routers[0] ?? (await this.add(new Set()))).router);
  }

  /** First router under its consumer budget; else a new router on a worker the room does not use yet. */
  forNewPeer(): Promise<types.Router> {
    return this.serial(async () => {
      if (this.routers.length === 0) return (await this.add(new Set())).router;
      const under = this.routers.find(
        (r) => this.pool.routerLoad(r.router).consumers < this.maxConsumersPerRouter,
      );
      if (under) return under.router;
      const used = new Set(this.routers.map((r) => r.slot));
      if (this.pool.leastLoaded(used)) return (await this.add(used)).router;
      // Every worker already carries this room: the least-loaded router takes the peer.
      const sorted = [...this.routers].sort(
        (a, b) =>
          this.pool.routerLoad(a.router).consumers - this.pool.routerLoad(b.router).consumers,
      );
      return sorted[0]!.router;
    });
  }

  private async add(exclude: ReadonlySet<WorkerSlot>): Promise<RoomRouter> {
    if (this.closed) throw new SfuError('not_found', 'room closed');
    const slot =
      this.pool.leastLoaded(exclude) ??
      (await this.pool.waitForSlot(10_000, exclude).catch(() => undefined));
    if (!slot) throw new SfuError('internal', 'no media worker available; retry shortly');
    const router = await this.pool.createRouter(slot, { roomId: this.roomId });
    if (this.closed) {
      router.close();
      throw new SfuError('not_found', 'room closed');
    }
    const entry: RoomRouter = { router, slot };
    this.routers.push(entry);
    router.on('workerclose', () => this.hooks.workerClosed());
    router.observer.on('close', () => {
      this.routers = this.routers.filter((r) => r !== entry);
      for (const key of [...this.pipes.keys()])
        if (key.startsWith(`${router.id}:`)) this.pipes.delete(key);
    });
    if (this.routers.length === 1) {
      const observer = await router.createActiveSpeakerObserver({ interval: 300 });
      this.activeSpeaker = observer;
      observer.on('dominantspeaker', ({ producer }) => this.hooks.dominantSpeaker(producer));
    } else {
      // Bring the room's existing producers to the new router before its first peer consumes.
      await Promise.all(
        this.hooks.producers().map((p) => this.ensurePiped(p, router).catch(() => undefined)),
      );
    }
    this.log.info(
      { room: this.roomId, router: router.id, worker: slot.index, routers: this.routers.length },
      'router created for room',
    );
    return entry;
  }

  /** Make a producer available on `target` (pipeToRouter keeps the producer id). */
  async ensurePiped(producer: types.Producer, target: types.Router): Promise<void> {
    const source = this.hooks.homeOf(producer);
    if (!source || source === target || producer.closed) return;
    const key = `${target.id}:${producer.id}`;
    let pipe = this.pipes.get(key);
    if (!pipe) {
      pipe = source.pipeToRouter({ producerId: producer.id, router: target }).then(() => undefined);
      this.pipes.set(key, pipe);
      pipe.catch(() => this.pipes.delete(key));
    }
    await pipe;
  }

  /** A new producer: pipe it to the room's other routers; audio also joins active-speaker detection. */
  publish(producer: types.Producer, home: types.Router): void {
    for (const r of this.routers) {
      if (r.router !== home) void this.ensurePiped(producer, r.router).catch(() => undefined);
    }
    const observer = this.activeSpeaker;
    const primary = this.routers[0]?.router;
    if (producer.kind !== 'audio' || !observer || observer.closed || !primary) return;
    void (async () => {
      await this.ensurePiped(producer, primary);
      if (!producer.closed && !observer.closed)
        await observer.addProducer({ producerId: producer.id });
    })().catch((err) =>
      this.log.debug(
        { err: (err as Error).message },
        'active speaker observer: producer not added',
      ),
    );
  }

  /** Forget pipes of a closed producer (mediasoup closes the piped copies itself). */
  unpublish(producerId: string): void {
    for (const key of [...this.pipes.keys()])
      if (key.endsWith(`:${producerId}`)) this.pipes.delete(key);
  }

  /** Close every router (pipes and observer with them). `final` also refuses new routers. */
  closeAll(final: boolean): void {
    if (final) this.closed = true;
    const routers = this.routers;
    this.routers = [];
    this.pipes.clear();
    this.activeSpeaker = undefined;
    for (const r of routers) r.router.close();
  }
}
