import type { types } from 'mediasoup';
import {
  TRAINING_MAX_VIDEOS,
  type MediaSource,
  type SignallingEventName,
  type TrainingState,
} from '@caunoi/shared';
import { SfuError } from '../errors';
import type { Peer } from './peer';

/** What the floor needs of its room. */
export interface FloorRoom {
  readonly peers: Map<string, Peer>;
  broadcast(event: SignallingEventName, data: unknown, exceptPeerId?: string): void;
}

/**
 * The policy of a training room, enforced here on the server (a client that ignores its UI gains
 * nothing): only the presenter and the one site holding the floor may send media; a site raises
 * its hand, the presenter (or a moderator) grants the floor and takes it back, which closes that
 * site's microphone and camera. Each receiver is forwarded at most TRAINING_MAX_VIDEOS videos
 * (last-N): the presenter's screen, the floor holder's camera, the presenter's camera, in that
 * order of preference; the consumers of any other video are paused.
 */
export class TrainingFloor {
  floorPeerId: string | null = null;
  /** Raised hands in the order they went up (peer id → when). */
  private readonly hands = new Map<string, string>();

  constructor(private readonly room: FloorRoom) {}

  private get presenter(): Peer | undefined {
    for (const p of this.room.peers.values()) if (p.presenter && p.attendanceReported) return p;
    return undefined;
  }

  state(): TrainingState {
    let participants = 0;
    for (const p of this.room.peers.values()) if (p.attendanceReported) participants++;
    return {
      presenterPeerId: this.presenter?.id ?? null,
      floorPeerId: this.floorPeerId,
      hands: [...this.hands].map(([peerId, raisedAt]) => ({ peerId, raisedAt })),
      participants,
      maxVideos: TRAINING_MAX_VIDEOS,
    };
  }

  /** Refuse a producer the policy does not allow: before it is made, and again once it exists
   * (`made`, closed if the floor was taken back meanwhile). */
  checkProduce(peer: Peer, source: MediaSource, made?: { close(): void }): void {
    if (peer.presenter) return;
    if (peer.id === this.floorPeerId && source !== 'screen') return;
    made?.close();
    throw new SfuError(
      'forbidden',
      'training session: only the presenter and the site given the floor send media (raise your hand)',
    );
  }

  raiseHand(peer: Peer, raised: boolean): TrainingState {
    if (peer.presenter) throw new SfuError('forbidden', 'the presenter has the floor already');
    if (raised && peer.id !== this.floorPeerId && !this.hands.has(peer.id))
      this.hands.set(peer.id, new Date().toISOString());
    if (!raised) this.hands.delete(peer.id);
    return this.changed();
  }

  grant(by: Peer, peerId: string): TrainingState {
    this.requireChair(by);
    const target = this.room.peers.get(peerId);
    if (!target || !target.attendanceReported)
      throw new SfuError('not_found', 'no such participant in this room');
    if (target.presenter) throw new SfuError('conflict', 'the presenter has the floor already');
    if (this.floorPeerId && this.floorPeerId !== peerId) this.silence(this.floorPeerId);
    this.floorPeerId = peerId;
    this.hands.delete(peerId);
    return this.changed();
  }

  revoke(by: Peer, peerId?: string): TrainingState {
    const holder = peerId ?? this.floorPeerId;
    if (by.id !== holder) this.requireChair(by);
    if (holder && holder === this.floorPeerId) {
      this.floorPeerId = null;
      this.silence(holder);
    }
    return this.changed();
  }

  /** A peer left the room: its hand and floor go with it. */
  peerLeft(peer: Peer): void {
    this.hands.delete(peer.id);
    if (this.floorPeerId === peer.id) this.floorPeerId = null;
    this.changed();
  }

  /** Tell everyone, and re-apply last-N to every receiver. */
  changed(): TrainingState {
    const state = this.state();
    this.room.broadcast('trainingState', state);
    this.applyLastN();
    return state;
  }

  /** The producer ids `receiver` may get in video, best first, at most TRAINING_MAX_VIDEOS (its
   * own video never counts: the floor holder sees the presenter's screen and camera). */
  featuredVideos(receiver?: Peer): Set<string> {
    const presenter = this.presenter;
    const floor = this.floorPeerId ? this.room.peers.get(this.floorPeerId) : undefined;
    const ranked: Array<[Peer | undefined, 'screen' | 'camera']> = [
      [presenter, 'screen'],
      [floor, 'camera'],
      [presenter, 'camera'],
    ];
    const ids = ranked
      .filter(([owner]) => owner && owner !== receiver)
      .map(([owner, source]) => owner!.media?.producerBySource(source))
      .filter((p): p is types.Producer<never> => !!p && !p.closed)
      .map((p) => p.id);
    return new Set(ids.slice(0, TRAINING_MAX_VIDEOS));
  }

  /** Pause the video consumers outside each receiver's featured set, resume those inside it. */
  applyLastN(): void {
    for (const p of this.room.peers.values()) {
      if (!p.media) continue;
      const featured = this.featuredVideos(p);
      void p.media.gateVideo((producerId) => featured.has(producerId), p.audioOnly);
    }
  }

  private requireChair(peer: Peer): void {
    if (!peer.presenter && !peer.moderator)
      throw new SfuError('forbidden', 'only the presenter or a moderator hands out the floor');
  }

  /** Close a former holder's microphone and camera: the SFU stops forwarding them at once. */
  private silence(peerId: string): void {
    const media = this.room.peers.get(peerId)?.media;
    for (const source of ['mic', 'camera', 'screen'] as const)
      media?.producerBySource(source)?.close();
  }
}

/** The floor of a training room; any other room answers `conflict`. */
export function floorOf(room: { training?: TrainingFloor }): TrainingFloor {
  if (!room.training) throw new SfuError('conflict', 'not a training session');
  return room.training;
}
