import type { Logger } from 'pino';
import type { WorkerPool } from '../media/worker-pool';
import type { TransportFactory } from '../media/transport-factory';
import type { Peer } from './peer';
import { Room, type RoomOptions } from './room';

export interface RoomManagerHooks {
  attendance(room: Room, peer: Peer, event: 'joined' | 'left'): void;
}

/**
 * All rooms of this SFU, keyed by session id. Getting a room is synchronous, so two peers
 * arriving together always share one Room; the Room serialises its own router creation.
 */
export class RoomManager {
  readonly rooms = new Map<string, Room>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly transports: TransportFactory,
    private readonly opts: RoomOptions,
    private readonly hooks: RoomManagerHooks,
    private readonly log: Logger,
  ) {}

  getOrCreate(roomId: string): Room {
    let room = this.rooms.get(roomId);
    if (room && !room.closed) return room;
    room = new Room(
      roomId,
      this.pool,
      this.transports,
      this.opts,
      {
        attendance: (peer, event) => this.hooks.attendance(room!, peer, event),
        closed: (r) => {
          if (this.rooms.get(r.id) === r) this.rooms.delete(r.id);
        },
      },
      this.log,
    );
    this.rooms.set(roomId, room);
    this.log.info({ room: roomId }, 'room created');
    return room;
  }

  get(roomId: string): Room | undefined {
    return this.rooms.get(roomId);
  }

  totals(): {
    rooms: number;
    peers: number;
    producers: number;
    consumers: number;
    routers: number;
  } {
    const t = { rooms: this.rooms.size, peers: 0, producers: 0, consumers: 0, routers: 0 };
    for (const room of this.rooms.values()) {
      const s = room.stats();
      t.peers += s.peers;
      t.producers += s.producers;
      t.consumers += s.consumers;
      t.routers += s.routers;
    }
    return t;
  }

  closeAll(): void {
    for (const room of [...this.rooms.values()]) room.close();
  }
}
