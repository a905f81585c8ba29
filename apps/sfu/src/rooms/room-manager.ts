import type { Logger } from 'pino';
import type { SessionKind } from '@caunoi/shared';
import { SfuError } from '../errors';
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
/** How long an ended session stays refused: far longer than a join token lives (minutes). */
const ENDED_SESSION_MEMORY_MS = 24 * 3600_000;
const MAX_ENDED_SESSIONS = 100_000;

export class RoomManager {
  readonly rooms = new Map<string, Room>();
  /** Ended session id → when it may be forgotten (kept in memory: an SFU restart forgets). */
  private readonly ended = new Map<string, number>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly transports: TransportFactory,
    private readonly opts: RoomOptions,
    private readonly hooks: RoomManagerHooks,
    private readonly log: Logger,
  ) {}

  /** `kind` (from the join token) sets the policy of a room created now; the API signs the same
   * kind into every token of a session. */
  getOrCreate(roomId: string, kind: SessionKind = 'consultation'): Room {
    if (this.isEnded(roomId)) throw new SfuError('session_ended', 'this session has ended');
    let room = this.rooms.get(roomId);
    if (room && !room.closed) return room;
    room = new Room(
      roomId,
      this.pool,
      this.transports,
      { ...this.opts, kind },
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

  isEnded(roomId: string): boolean {
    const until = this.ended.get(roomId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.ended.delete(roomId);
    return false;
  }

  /** End a session: its peers are told `sessionEnded`, its room closes, later joins are refused.
   * Idempotent; a session with no room here is remembered as ended all the same. */
  endSession(roomId: string, reason: string): void {
    this.ended.delete(roomId);
    this.ended.set(roomId, Date.now() + ENDED_SESSION_MEMORY_MS);
    // Insertion order is expiry order: drop the oldest beyond the bound.
    for (const id of this.ended.keys()) {
      if (this.ended.size <= MAX_ENDED_SESSIONS) break;
      this.ended.delete(id);
    }
    const room = this.rooms.get(roomId);
    this.log.info({ room: roomId, reason, peers: room?.peers.size ?? 0 }, 'session ended');
    room?.end(reason);
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
