import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type {
  ConsumerInfo,
  JoinResult,
  MediaSource,
  ProducerInfo,
  RecordingStateEvent,
  SessionKind,
  SignallingEventName,
  TransportInfo,
} from '@caunoi/shared';
import { SfuError } from '../errors';
import type { WorkerPool, WorkerSlot } from '../media/worker-pool';
import { PeerMedia, type ProducerAppData } from '../media/peer-media';
import { RoomRouters } from '../media/room-routers';
import type { StartHint, TransportDirection, TransportFactory } from '../media/transport-factory';
import type { Peer } from './peer';
import { TrainingFloor } from './training-floor';
import { tellAboutConsumer } from './consumer-events';

export interface RoomOptions {
  maxConsumersPerRouter: number;
  maxTransportsPerPeer?: number;
  /** A `training` room gets the floor policy and last-N (TrainingFloor). */
  kind?: SessionKind;
}

export interface RoomHooks {
  attendance(peer: Peer, event: 'joined' | 'left'): void;
  closed(room: Room): void;
}

export interface JoinResponse extends JoinResult {
  peerId: string;
  /** True when this peer already existed (socket resumed, or a rejoin after a media restart). */
  resumed: boolean;
}

/**
 * One conference (one per session): who is in it, what they are told, and the rules of taking
 * part. The media mechanics live in media/: RoomRouters (routers on one or more workers, pipes,
 * active speaker) and one PeerMedia per joined peer (its transports, producers, consumers).
 * A little over 350 lines on purpose: each signalling request is a few lines that check the
 * room's rules and hand over to media/; splitting them by request would scatter those rules.
 */
export class Room {
  readonly peers = new Map<string, Peer>();
  private readonly routers: RoomRouters;
  /** The current active speaker: their camera is forwarded before the other cameras. */
  private speakerPeerId?: string;
  private speakerProducerId?: string;
  /** Only in a training room. */
  readonly training?: TrainingFloor;
  closed = false;
  /** For a recorder: `producer` (peer, producer) on every new producer, `close` at the end. */
  readonly observer = new EventEmitter();
  /** Whether a recorder records the room (set by it); a joiner learns it in the join answer. */
  recording: RecordingStateEvent = { recording: false };

  constructor(
    readonly id: string,
    pool: WorkerPool,
    private readonly transports: TransportFactory,
    private readonly opts: RoomOptions,
    private readonly hooks: RoomHooks,
    private readonly log: Logger,
  ) {
    if (opts.kind === 'training') this.training = new TrainingFloor(this);
    this.routers = new RoomRouters(
      id,
      pool,
      opts.maxConsumersPerRouter,
      {
        workerClosed: () => this.rebuild('media_server_restarted'),
        dominantSpeaker: (producer) => this.speakerChanged(producer),
        producers: () => this.allProducers().map((p) => p.producer),
        homeOf: (producer) =>
          this.peers.get((producer.appData as { peerId?: string }).peerId ?? '')?.media?.router,
      },
      log,
    );
  }

  /** The active speaker changed (mediasoup's dominant speaker): everyone is told and every
   * receiver forwards that camera first. */
  speakerChanged(producer: { id: string; appData: unknown }): void {
    const peerId = (producer.appData as { peerId?: string }).peerId;
    if (!peerId) return;
    this.speakerPeerId = peerId;
    this.speakerProducerId = producer.id;
    this.broadcast('activeSpeaker', { peerId, producerId: producer.id });
    for (const p of this.peers.values()) void p.media?.followSpeaker(peerId);
  }

  /** Who speaks now, as the `activeSpeaker` event says it (none yet, or they left). */
  activeSpeaker(): { peerId: string; producerId: string } | null {
    if (!this.speakerPeerId || !this.speakerProducerId || !this.peers.has(this.speakerPeerId))
      return null;
    return { peerId: this.speakerPeerId, producerId: this.speakerProducerId };
  }

  // ---------------------------------------------------------------- placement

  get routerCount(): number {
    return this.routers.count;
  }

  get slots(): WorkerSlot[] {
    return this.routers.slots;
  }

  routerSlotOfPeer(peer: Peer): WorkerSlot | undefined {
    return this.routers.slotOf(peer.media?.router);
  }

  /** The room's first router (created on demand): its capabilities are the room's. */
  primaryRouter(): Promise<types.Router> {
    if (this.closed) throw new SfuError('not_found', 'room closed');
    return this.routers.primary();
  }

  // ---------------------------------------------------------------- membership

  addPeer(peer: Peer): void {
    this.peers.set(peer.id, peer);
  }

  /** Join (or join again: page reload, media restart); the peer's media starts afresh. */
  async join(peer: Peer): Promise<JoinResponse> {
    const wasJoined = peer.attendanceReported;
    peer.closeMedia();
    if (this.closed) throw new SfuError('not_found', 'room closed');
    const router = await this.routers.forNewPeer();
    if (!router.rtpCapabilities.codecs?.length)
      throw new SfuError('internal', 'router has no codecs');
    if (peer.closed || this.closed) throw new SfuError('conflict', 'peer left meanwhile');
    peer.closeMedia();
    peer.media = new PeerMedia(peer.id, router, this.transports, this.log, {
      maxTransports: this.opts.maxTransportsPerPeer,
      videoHeld: (c, held) =>
        peer.notify('videoHeld', { consumerId: c.id, producerId: c.producerId, held }),
    });
    if (!wasJoined) {
      peer.attendanceReported = true;
      this.broadcast('peerJoined', peer.info, peer.id);
      this.hooks.attendance(peer, 'joined');
    }
    const peers = [...this.peers.values()]
      .filter((p) => p !== peer && p.attendanceReported)
      .map((p) => p.info);
    const producers = this.producerInfos().filter((p) => p.peerId !== peer.id);
    const training = this.training?.changed();
    return {
      peers,
      producers,
      peerId: peer.id,
      resumed: wasJoined,
      recording: this.recording,
      training,
    };
  }

  /** Remove a peer for good (leave, grace period over, replaced, session ended). */
  removePeer(peer: Peer, reason: string): void {
    if (!this.peers.has(peer.id)) return;
    const wasJoined = peer.attendanceReported;
    peer.close();
    this.peers.delete(peer.id);
    if (wasJoined) {
      this.broadcast('peerLeft', { peerId: peer.id, reason }, peer.id);
      this.hooks.attendance(peer, 'left');
    }
    this.log.info({ room: this.id, peer: peer.id, user: peer.userId, reason }, 'peer left');
    if (this.peers.size === 0) this.close();
    else this.training?.peerLeft(peer);
  }

  broadcast(event: SignallingEventName, data: unknown, exceptPeerId?: string): void {
    for (const p of this.peers.values())
      if (p.id !== exceptPeerId && p.attendanceReported) p.notify(event, data);
  }

  /** A joined peer's media; requests that are pure mechanics go straight to it. */
  media(peer: Peer): PeerMedia {
    const media = peer.media;
    if (!media) throw new SfuError('conflict', 'join the room first');
    if (media.router.closed) throw new SfuError('conflict', 'media server restarted: rejoin');
    return media;
  }

  // ---------------------------------------------------------------- transports

  async createTransport(
    peer: Peer,
    direction: TransportDirection,
    forceTcp = false,
    start: StartHint = {},
  ): Promise<TransportInfo> {
    const media = this.media(peer);
    const transport = await media.createWebRtcTransport(direction, forceTcp, start);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      iceServers: await media.iceServersFor(peer.userId),
    };
  }

  // ---------------------------------------------------------------- producers

  async produce(
    peer: Peer,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ): Promise<{ id: string }> {
    const media = this.media(peer);
    if ((source === 'mic') !== (kind === 'audio')) {
      throw new SfuError('invalid_message', `source "${source}" does not match kind "${kind}"`);
    }
    this.training?.checkProduce(peer, source);
    const producer = await media.produce(transportId, kind, rtpParameters, source);
    this.training?.checkProduce(peer, source, producer);
    const router = media.router;
    producer.observer.on('close', () => {
      this.routers.unpublish(producer.id);
      // A router closed by a dying worker: the room is rebuilt and everyone rejoins instead.
      if (router.closed || this.closed) return;
      this.broadcast('producerClosed', { producerId: producer.id, peerId: peer.id }, peer.id);
      this.training?.applyLastN();
    });
    producer.on('score', (score) => peer.notify('score', { producerId: producer.id, score }));
    // Pre-pipe to the room's other routers so their peers consume without waiting.
    this.routers.publish(producer, router);
    this.broadcast('newProducer', this.producerInfo(peer, producer), peer.id);
    this.observer.emit('producer', peer, producer);
    this.training?.applyLastN();
    return { id: producer.id };
  }

  closeProducer(peer: Peer, producerId: string): void {
    this.media(peer).producer(producerId).close();
  }

  async pauseProducer(peer: Peer, producerId: string): Promise<void> {
    await this.media(peer).producer(producerId).pause();
    this.broadcast('producerPaused', { producerId, peerId: peer.id }, peer.id);
  }

  async resumeProducer(peer: Peer, producerId: string): Promise<void> {
    await this.media(peer).producer(producerId).resume();
    this.broadcast('producerResumed', { producerId, peerId: peer.id }, peer.id);
  }

  /** What the others learn of a producer: its source only, never anything else a client sent. */
  private producerInfo(peer: Peer, producer: types.Producer<ProducerAppData>): ProducerInfo {
    return {
      id: producer.id,
      peerId: peer.id,
      kind: producer.kind,
      appData: { source: producer.appData.source },
      paused: producer.paused,
    };
  }

  /** A producer made available on `router` (piped from its own router if need be). */
  pipeTo(producer: types.Producer, router: types.Router): Promise<void> {
    return this.routers.ensurePiped(producer, router);
  }

  allProducers(): Array<{ peer: Peer; producer: types.Producer<ProducerAppData> }> {
    const out: Array<{ peer: Peer; producer: types.Producer<ProducerAppData> }> = [];
    for (const peer of this.peers.values())
      for (const producer of peer.media?.producers.values() ?? []) out.push({ peer, producer });
    return out;
  }

  producerInfos(): ProducerInfo[] {
    return this.allProducers().map(({ peer, producer }) => this.producerInfo(peer, producer));
  }

  // ---------------------------------------------------------------- consumers

  async consume(
    peer: Peer,
    transportId: string,
    producerId: string,
    rtpCapabilities: types.RtpCapabilities,
  ): Promise<ConsumerInfo> {
    const media = this.media(peer);
    media.transport(transportId, 'recv');
    // Only producers of this room are visible: a producer id from another room is simply unknown.
    const owner = this.allProducers().find((p) => p.producer.id === producerId);
    if (!owner) throw new SfuError('not_found', 'producer not found in this room');
    if (owner.peer === peer)
      throw new SfuError('forbidden', 'a peer does not consume its own producer');
    await this.routers.ensurePiped(owner.producer, media.router);
    const { consumer, replaced } = await media.consume(
      transportId,
      owner.producer,
      owner.peer.id,
      rtpCapabilities,
      this.speakerPeerId,
    );
    for (const c of replaced) peer.notify('consumerClosed', { consumerId: c.id, producerId });
    tellAboutConsumer(peer, consumer);
    return {
      id: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      peerId: owner.peer.id,
      appData: {
        source: consumer.appData.source,
        producerPaused: consumer.producerPaused,
        type: consumer.type,
      },
    };
  }

  /** Audio-only: pause every video consumer of the peer (no video is forwarded), keep audio. */
  async setAudioOnly(
    peer: Peer,
    enabled: boolean,
  ): Promise<{ audioOnly: boolean; videoConsumers: number }> {
    const media = this.media(peer);
    peer.audioOnly = enabled;
    const videoConsumers = await media.holdVideo(enabled);
    return { audioOnly: enabled, videoConsumers };
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * A worker under this room died: drop every router (pipes included) and every peer's media, and
   * ask the peers to rejoin. They keep their peer ids; no one is reported as having left.
   */
  rebuild(reason: string): void {
    if (this.closed) return;
    // Routers first: producers closing with a closed router are not announced one by one.
    this.routers.closeAll(false);
    for (const peer of this.peers.values()) peer.closeMedia();
    for (const peer of this.peers.values()) peer.notify('rejoin', { reason });
    this.log.warn(
      { room: this.id, reason, peers: this.peers.size },
      'room rebuilt; peers asked to rejoin',
    );
  }

  /** The session ended: everyone is told, the room closes, every socket of it is closed. */
  end(reason: string): void {
    if (this.closed) return;
    const channels = [...this.peers.values()].flatMap((p) => (p.channel ? [p.channel] : []));
    for (const p of this.peers.values()) p.notify('sessionEnded', { sessionId: this.id, reason });
    this.close();
    for (const c of channels) c.disconnect(true);
  }

  /** Close the room and everything in it; peers still present are reported as having left. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const peer of this.peers.values()) {
      const wasJoined = peer.attendanceReported;
      peer.close();
      if (wasJoined) this.hooks.attendance(peer, 'left');
    }
    this.peers.clear();
    this.routers.closeAll(true);
    this.observer.emit('close');
    this.hooks.closed(this);
    this.log.info({ room: this.id }, 'room closed');
  }

  stats(): { peers: number; producers: number; consumers: number; routers: number } {
    const media = [...this.peers.values()].map((p) => p.media);
    const producers = media.reduce((n, m) => n + (m?.producers.size ?? 0), 0);
    const consumers = media.reduce((n, m) => n + (m?.consumers.size ?? 0), 0);
    return { peers: this.peers.size, producers, consumers, routers: this.routers.count };
  }

  allTransports(): Array<types.WebRtcTransport | types.PlainTransport> {
    const out: Array<types.WebRtcTransport | types.PlainTransport> = [];
    for (const p of this.peers.values()) out.push(...(p.media?.transports.values() ?? []));
    return out;
  }
}
