import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import {
  SIGNALLING_LIMITS,
  type ConsumerInfo,
  type JoinResult,
  type MediaSource,
  type ProducerInfo,
  type SignallingEventName,
  type TransportInfo,
} from '@caunoi/shared';
import { SfuError } from '../errors';
import type { WorkerPool, WorkerSlot } from '../media/worker-pool';
import type { IceServer } from '../config/config';
import { Peer, type TransportDirection } from './peer';
import { RoomRouters } from './room-routers';

export interface RoomOptions {
  maxConsumersPerRouter: number;
  maxIncomingBitrate: number;
  maxOutgoingBitrate?: number;
  initialOutgoingBitrate: number;
  iceServers: IceServer[];
  maxTransportsPerPeer?: number;
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
 * One conference (one per session). Routers live on one or more workers: a room starts on the
 * least-loaded worker, and when its router exceeds the consumer budget new peers are placed on a
 * router of another worker that receives the room's producers through pipeToRouter.
 * Every mediasoup object of the room is reachable from here and closed in `close()`.
 */
export class Room {
  readonly peers = new Map<string, Peer>();
  private readonly routers: RoomRouters;
  closed = false;

  constructor(
    readonly id: string,
    pool: WorkerPool,
    private readonly opts: RoomOptions,
    private readonly hooks: RoomHooks,
    private readonly log: Logger,
  ) {
    this.routers = new RoomRouters(
      id,
      pool,
      opts.maxConsumersPerRouter,
      {
        workerClosed: () => this.rebuild('media_server_restarted'),
        dominantSpeaker: (producer) => {
          const peerId = (producer.appData as { peerId?: string }).peerId;
          if (peerId) this.broadcast('activeSpeaker', { peerId, producerId: producer.id });
        },
        producers: () => this.allProducers().map((p) => p.producer),
        homeOf: (producer) =>
          this.peers.get((producer.appData as { peerId?: string }).peerId ?? '')?.router,
      },
      log,
    );
  }

  // ---------------------------------------------------------------- placement

  get routerCount(): number {
    return this.routers.count;
  }

  get slots(): WorkerSlot[] {
    return this.routers.slots;
  }

  routerSlotOfPeer(peer: Peer): WorkerSlot | undefined {
    return this.routers.slotOf(peer.router);
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

  async join(
    peer: Peer,
    rtpCapabilities: types.RtpCapabilities,
    displayName?: string,
  ): Promise<JoinResponse> {
    const wasJoined = peer.attendanceReported;
    // A peer that joins again (page reload, or after a media restart) starts its media afresh.
    if (peer.transports.size > 0 || peer.joined) peer.closeMedia();
    if (this.closed) throw new SfuError('not_found', 'room closed');
    const router = await this.routers.forNewPeer();
    if (!router.rtpCapabilities.codecs?.length)
      throw new SfuError('internal', 'router has no codecs');
    peer.rtpCapabilities = rtpCapabilities;
    peer.router = router;
    if (displayName) peer.displayName = displayName;
    peer.joined = true;
    if (!wasJoined) {
      peer.attendanceReported = true;
      this.broadcast('peerJoined', peer.info, peer.id);
      this.hooks.attendance(peer, 'joined');
    }
    const peers = [...this.peers.values()]
      .filter((p) => p !== peer && p.attendanceReported)
      .map((p) => p.info);
    const producers = this.producerInfos().filter((p) => p.peerId !== peer.id);
    return { peers, producers, peerId: peer.id, resumed: wasJoined };
  }

  /** Remove a peer for good (leave, grace period over, kicked). */
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
  }

  broadcast(event: SignallingEventName, data: unknown, exceptPeerId?: string): void {
    for (const p of this.peers.values())
      if (p.id !== exceptPeerId && p.attendanceReported) p.notify(event, data);
  }

  // ---------------------------------------------------------------- transports

  async createTransport(
    peer: Peer,
    direction: TransportDirection,
    forceTcp = false,
  ): Promise<TransportInfo> {
    const router = this.requireJoined(peer);
    const max = this.opts.maxTransportsPerPeer ?? 4;
    if (peer.transports.size >= max)
      throw new SfuError('limit_exceeded', `at most ${max} transports per peer`);
    const slot = this.routers.slotOf(router);
    if (!slot) throw new SfuError('internal', 'router not found');
    const transport = await router.createWebRtcTransport({
      webRtcServer: slot.webRtcServer,
      enableUdp: !forceTcp,
      enableTcp: true,
      preferUdp: !forceTcp,
      initialAvailableOutgoingBitrate: this.opts.initialOutgoingBitrate,
      appData: { direction, peerId: peer.id },
    });
    if (peer.closed || peer.router !== router) {
      // The peer left or rejoined while the transport was being created.
      transport.close();
      throw new SfuError('conflict', 'peer left or rejoined meanwhile');
    }
    peer.transports.set(transport.id, transport);
    transport.observer.on('close', () => peer.transports.delete(transport.id));
    transport.on('dtlsstatechange', (state) => {
      if (state === 'failed' || state === 'closed') {
        this.log.warn(
          { room: this.id, peer: peer.id, transport: transport.id, state },
          'transport DTLS ended',
        );
      }
    });
    transport.on('icestatechange', (state) => {
      if (state === 'disconnected')
        this.log.info(
          { room: this.id, peer: peer.id, transport: transport.id },
          'transport ICE disconnected',
        );
    });
    if (direction === 'send') {
      await transport.setMaxIncomingBitrate(this.opts.maxIncomingBitrate).catch(() => undefined);
    } else if (this.opts.maxOutgoingBitrate) {
      await transport.setMaxOutgoingBitrate(this.opts.maxOutgoingBitrate).catch(() => undefined);
    }
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      iceServers: this.opts.iceServers,
    };
  }

  async connectTransport(
    peer: Peer,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ): Promise<void> {
    this.requireJoined(peer);
    const transport = peer.transports.get(transportId);
    if (!transport) throw new SfuError('not_found', 'transport not found');
    await transport.connect({ dtlsParameters });
  }

  async restartIce(peer: Peer, transportId: string): Promise<types.IceParameters> {
    this.requireJoined(peer);
    const transport = peer.transports.get(transportId);
    if (!transport) throw new SfuError('not_found', 'transport not found');
    return transport.restartIce();
  }

  // ---------------------------------------------------------------- producers

  async produce(
    peer: Peer,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    appData: { source: MediaSource; [k: string]: unknown },
  ): Promise<{ id: string }> {
    this.requireJoined(peer);
    const transport = peer.transport(transportId, 'send');
    if (!transport) throw new SfuError('not_found', 'send transport not found');
    if ((appData.source === 'mic') !== (kind === 'audio')) {
      throw new SfuError(
        'invalid_message',
        `source "${appData.source}" does not match kind "${kind}"`,
      );
    }
    // One producer per source: a client that re-publishes (e.g. after a reconnect) replaces it.
    const previous = peer.producerBySource(appData.source);
    if (!previous && peer.producers.size >= SIGNALLING_LIMITS.maxProducersPerPeer) {
      throw new SfuError(
        'limit_exceeded',
        `at most ${SIGNALLING_LIMITS.maxProducersPerPeer} producers per peer`,
      );
    }
    const producer = await transport.produce({
      kind,
      rtpParameters,
      appData: { ...appData, peerId: peer.id, source: appData.source },
    });
    if (peer.closed || !peer.transports.has(transport.id)) {
      producer.close();
      throw new SfuError('conflict', 'peer left or rejoined meanwhile');
    }
    // Re-checked after the await: two concurrent requests for one source still leave one producer.
    peer.producerBySource(appData.source)?.close();
    peer.producers.set(producer.id, producer);
    const router = peer.router;
    producer.observer.on('close', () => {
      peer.producers.delete(producer.id);
      this.routers.unpublish(producer.id);
      // A router closed by a dying worker: the room is rebuilt and everyone rejoins instead.
      if (router?.closed || this.closed) return;
      this.broadcast('producerClosed', { producerId: producer.id, peerId: peer.id }, peer.id);
    });
    producer.on('score', (score) => peer.notify('score', { producerId: producer.id, score }));

    // Pre-pipe to the room's other routers so their peers consume without waiting.
    if (router) this.routers.publish(producer, router);
    this.broadcast('newProducer', this.producerInfo(peer, producer), peer.id);
    return { id: producer.id };
  }

  private ownProducer(peer: Peer, producerId: string): types.Producer {
    this.requireJoined(peer);
    const producer = peer.producers.get(producerId);
    if (!producer) throw new SfuError('not_found', 'producer not found');
    return producer;
  }

  closeProducer(peer: Peer, producerId: string): void {
    this.ownProducer(peer, producerId).close();
  }

  async pauseProducer(peer: Peer, producerId: string): Promise<void> {
    const producer = this.ownProducer(peer, producerId);
    await producer.pause();
    this.broadcast('producerPaused', { producerId, peerId: peer.id }, peer.id);
  }

  async resumeProducer(peer: Peer, producerId: string): Promise<void> {
    const producer = this.ownProducer(peer, producerId);
    await producer.resume();
    this.broadcast('producerResumed', { producerId, peerId: peer.id }, peer.id);
  }

  private producerInfo(peer: Peer, producer: types.Producer): ProducerInfo {
    const { peerId: _peerId, ...appData } = producer.appData as {
      source: MediaSource;
      peerId?: string;
    };
    return {
      id: producer.id,
      peerId: peer.id,
      kind: producer.kind,
      appData,
      paused: producer.paused,
    };
  }

  private allProducers(): Array<{ peer: Peer; producer: types.Producer }> {
    const out: Array<{ peer: Peer; producer: types.Producer }> = [];
    for (const peer of this.peers.values())
      for (const producer of peer.producers.values()) out.push({ peer, producer });
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
    const router = this.requireJoined(peer);
    const transport = peer.transport(transportId, 'recv');
    if (!transport) throw new SfuError('not_found', 'receive transport not found');
    // Only producers of this room are visible: a producer id from another room is simply unknown.
    const owner = this.allProducers().find((p) => p.producer.id === producerId);
    if (!owner) throw new SfuError('not_found', 'producer not found in this room');
    if (owner.peer === peer)
      throw new SfuError('forbidden', 'a peer does not consume its own producer');
    await this.routers.ensurePiped(owner.producer, router);
    if (!router.canConsume({ producerId, rtpCapabilities })) {
      throw new SfuError('invalid_message', 'these rtpCapabilities cannot consume this producer');
    }
    const source = (owner.producer.appData as { source?: MediaSource }).source;
    // Consuming a producer again (e.g. the client rebuilt its consumer) replaces the old consumer,
    // so a peer never holds more consumers than the room has producers.
    for (const c of peer.consumers.values()) {
      if (c.producerId !== producerId) continue;
      c.close();
      peer.notify('consumerClosed', { consumerId: c.id, producerId });
    }
    const consumer = await transport.consume({
      producerId,
      rtpCapabilities,
      paused: true,
      appData: { peerId: owner.peer.id, source, clientPaused: true },
    });
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => {
      peer.notify('consumerClosed', { consumerId: consumer.id, producerId });
      consumer.close();
    });
    consumer.on('score', (score) => peer.notify('score', { consumerId: consumer.id, score }));
    consumer.on('layerschange', (layers) =>
      peer.notify('consumerLayersChanged', {
        consumerId: consumer.id,
        spatialLayer: layers?.spatialLayer ?? null,
        temporalLayer: layers?.temporalLayer ?? null,
      }),
    );
    return {
      id: consumer.id,
      producerId,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      peerId: owner.peer.id,
      appData: { source, producerPaused: consumer.producerPaused, type: consumer.type },
    };
  }

  private ownConsumer(peer: Peer, consumerId: string): types.Consumer {
    this.requireJoined(peer);
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new SfuError('not_found', 'consumer not found');
    return consumer;
  }

  async resumeConsumer(peer: Peer, consumerId: string): Promise<{ paused: boolean }> {
    const consumer = this.ownConsumer(peer, consumerId);
    consumer.appData.clientPaused = false;
    // In audio-only mode video stays paused; it resumes when the mode is switched off.
    if (consumer.kind === 'video' && peer.audioOnly) return { paused: true };
    await consumer.resume();
    if (consumer.kind === 'video') await consumer.requestKeyFrame().catch(() => undefined);
    return { paused: false };
  }

  async pauseConsumer(peer: Peer, consumerId: string): Promise<void> {
    const consumer = this.ownConsumer(peer, consumerId);
    consumer.appData.clientPaused = true;
    await consumer.pause();
  }

  async setPreferredLayers(
    peer: Peer,
    consumerId: string,
    spatialLayer: number,
    temporalLayer?: number,
  ): Promise<void> {
    const consumer = this.ownConsumer(peer, consumerId);
    if (consumer.kind !== 'video')
      throw new SfuError('invalid_message', 'preferred layers apply to video consumers only');
    await consumer.setPreferredLayers({ spatialLayer, temporalLayer });
  }

  /** Audio-only: pause every video consumer of the peer (no video is forwarded), keep audio. */
  async setAudioOnly(
    peer: Peer,
    enabled: boolean,
  ): Promise<{ audioOnly: boolean; videoConsumers: number }> {
    this.requireJoined(peer);
    peer.audioOnly = enabled;
    const videos = [...peer.consumers.values()].filter((c) => c.kind === 'video');
    await Promise.all(
      videos.map(async (c) => {
        if (enabled) await c.pause();
        else if (!c.appData.clientPaused) {
          await c.resume();
          await c.requestKeyFrame().catch(() => undefined);
        }
      }),
    );
    return { audioOnly: enabled, videoConsumers: videos.length };
  }

  private requireJoined(peer: Peer): types.Router {
    if (!peer.joined || !peer.router) throw new SfuError('conflict', 'join the room first');
    if (peer.router.closed) throw new SfuError('conflict', 'media server restarted: rejoin');
    return peer.router;
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
    this.hooks.closed(this);
    this.log.info({ room: this.id }, 'room closed');
  }

  stats(): { peers: number; producers: number; consumers: number; routers: number } {
    let producers = 0;
    let consumers = 0;
    for (const p of this.peers.values()) {
      producers += p.producers.size;
      consumers += p.consumers.size;
    }
    return { peers: this.peers.size, producers, consumers, routers: this.routers.count };
  }

  transports(): types.WebRtcTransport[] {
    const out: types.WebRtcTransport[] = [];
    for (const p of this.peers.values()) out.push(...p.transports.values());
    return out;
  }
}
