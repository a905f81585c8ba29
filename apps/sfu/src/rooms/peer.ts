import type { types } from 'mediasoup';
import type { MediaSource, PeerInfo, SignallingEventName } from '@caunoi/shared';

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
  role: string;
  moderator: boolean;
  facility: { id: string | null; name: string };
}

export type TransportDirection = 'send' | 'recv';

/** Events a peer misses while its socket is away are kept (bounded) and replayed on resume. */
const MAX_PENDING_EVENTS = 500;
/** Snapshots that are stale by the time a socket returns: not kept while away. */
const TRANSIENT_EVENTS = new Set<SignallingEventName>([
  'score',
  'consumerLayersChanged',
  'activeSpeaker',
]);

/**
 * One participant of a room. Owns its transports, producers and consumers (closing a transport
 * closes what it carries) and releases all of them in `closeMedia()`.
 */
export class Peer {
  readonly id: string;
  readonly userId: string;
  displayName: string;
  readonly role: string;
  readonly moderator: boolean;
  readonly facility: { id: string | null; name: string };

  channel?: PeerChannel;
  /** The join token that admitted this peer; an expired copy of it may still resume the peer. */
  admittedWith?: string;
  joined = false;
  /** Announced to the room (peerJoined, attendance); stays true across media rebuilds. */
  attendanceReported = false;
  closed = false;
  rtpCapabilities?: types.RtpCapabilities;
  router?: types.Router;
  audioOnly = false;

  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();

  disconnectedAt?: number;
  graceTimer?: NodeJS.Timeout;
  private pending: Array<[string, unknown]> = [];
  private pendingOverflow = false;

  constructor(identity: PeerIdentity) {
    this.id = identity.id;
    this.userId = identity.userId;
    this.displayName = identity.displayName;
    this.role = identity.role;
    this.moderator = identity.moderator;
    this.facility = identity.facility;
  }

  get info(): PeerInfo {
    return {
      id: this.id,
      userId: this.userId,
      displayName: this.displayName,
      facility: this.facility,
    };
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
    if (previous && previous !== channel && previous.connected) previous.disconnect(true);
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

  transport(id: string, direction: TransportDirection): types.WebRtcTransport | undefined {
    const t = this.transports.get(id);
    return t && (t.appData as { direction?: string }).direction === direction ? t : undefined;
  }

  producerBySource(source: MediaSource): types.Producer | undefined {
    for (const p of this.producers.values())
      if ((p.appData as { source?: string }).source === source) return p;
    return undefined;
  }

  /** Close every transport (and with them producers and consumers). The peer stays in the room. */
  closeMedia(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.router = undefined;
    this.joined = false;
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
