import type { PeerInfo, ResumeResult, SignallingEventName } from '@caunoi/shared';
import type { PeerMedia } from '../media/peer-media';

/** Where a peer's events go: a connected socket.io socket (or a test double). */
export interface PeerChannel {
  readonly connected: boolean;
  emit(event: string, data: unknown): unknown;
  disconnect(close?: boolean): unknown;
}

export interface PeerIdentity {
  id: string;
  userId: string;
  displayName: string;
  facility: { id: string | null; name: string };
  /** Training room: presents (sends media without the floor). */
  presenter?: boolean;
  /** May moderate the room (a coordinator of the organising site). */
  moderator?: boolean;
}

/** Events a peer misses while its socket is away are kept (bounded) and replayed on resume. */
const MAX_PENDING_EVENTS = 500;
/** Snapshots that are stale by the time a socket returns: not kept while away. */
const TRANSIENT_EVENTS = new Set<SignallingEventName>([
  'score',
  'consumerLayersChanged',
  'activeSpeaker',
]);

/**
 * One participant of a room: who it is (from the join token only), where its events go (the
 * current socket, or a bounded buffer while the socket is away) and its media of the current
 * join (`media`, released in `closeMedia()`).
 */
export class Peer {
  readonly id: string;
  readonly userId: string;
  readonly displayName: string;
  readonly facility: { id: string | null; name: string };
  readonly presenter: boolean;
  readonly moderator: boolean;

  channel?: PeerChannel;
  /** The join token that admitted this peer; an expired copy of it may still resume the peer. */
  admittedWith?: string;
  /** Announced to the room (peerJoined, attendance); stays true across media rebuilds. */
  attendanceReported = false;
  closed = false;
  /** Audio-only mode: a preference of the participant, kept across media rebuilds. */
  audioOnly = false;
  /** The media of the current join; none before `join` and after a media restart. */
  media?: PeerMedia;

  disconnectedAt?: number;
  graceTimer?: NodeJS.Timeout;
  private pending: Array<[string, unknown]> = [];
  private pendingOverflow = false;

  constructor(identity: PeerIdentity) {
    this.id = identity.id;
    this.userId = identity.userId;
    this.displayName = identity.displayName;
    this.facility = identity.facility;
    this.presenter = identity.presenter ?? false;
    this.moderator = identity.moderator ?? false;
  }

  get info(): PeerInfo {
    return {
      id: this.id,
      userId: this.userId,
      displayName: this.displayName,
      facility: this.facility,
      ...(this.presenter ? { presenter: true } : {}),
    };
  }

  get joined(): boolean {
    return !!this.media;
  }

  get connected(): boolean {
    return !!this.channel?.connected;
  }

  notify(event: SignallingEventName, data: unknown): void {
    if (this.closed) return;
    if (this.channel?.connected) {
      this.channel.emit(event, data);
      return;
    }
    if (TRANSIENT_EVENTS.has(event)) return;
    if (this.pending.length >= MAX_PENDING_EVENTS) {
      this.pendingOverflow = true;
      return;
    }
    this.pending.push([event, data]);
  }

  /** Attach a (new) socket and replay what was missed; too much missed → ask for a rejoin. */
  attach(channel: PeerChannel): void {
    const previous = this.channel;
    // Replace first: the old socket's disconnect handler must see it is no longer this peer's.
    this.channel = channel;
    if (previous && previous !== channel && previous.connected) {
      // One connection per peer: the one replaced learns why before it is closed.
      previous.emit('peerReplaced', { peerId: this.id });
      previous.disconnect(true);
    }
    this.disconnectedAt = undefined;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    const pending = this.pending;
    this.pending = [];
    if (this.pendingOverflow) {
      this.pendingOverflow = false;
      channel.emit('rejoin', { reason: 'missed_events' });
      return;
    }
    for (const [event, data] of pending) channel.emit(event, data);
  }

  /** What the SFU still holds for this peer, for a client whose socket came back (`resume`). */
  resumeInfo(): ResumeResult {
    const media = this.media;
    if (!media || media.closed)
      return { peerId: this.id, media: false, transports: [], producers: [], consumers: [] };
    return { peerId: this.id, media: true, ...media.describe() };
  }

  /** Close every transport (and with them producers and consumers). The peer stays in the room. */
  closeMedia(): void {
    this.media?.close();
    this.media = undefined;
  }

  close(): void {
    if (this.closed) return;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.closeMedia();
    this.closed = true;
    this.pending = [];
  }
}
