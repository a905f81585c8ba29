import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { SIGNALLING_LIMITS, type MediaSource, type ResumeResult } from '@caunoi/shared';
import { SfuError } from '../errors';
import { CONSUMER_PRIORITY } from './codecs';
import { LayerGovernor, producerLayers, type GovernedAppData } from './layer-governor';
import { VideoFlow } from './video-flow';
import type {
  PlainTransportOptions,
  StartHint,
  TransportDirection,
  TransportFactory,
} from './transport-factory';

export type PeerTransport = types.WebRtcTransport | types.PlainTransport;

/** All a producer keeps beyond mediasoup's fields: nothing else a client sends is stored. */
export interface ProducerAppData extends types.AppData {
  peerId: string;
  source: MediaSource;
}

export interface ConsumerAppData extends types.AppData, GovernedAppData {
  /** The peer whose producer this consumer forwards. */
  peerId: string;
  source?: MediaSource;
  /** The client asked for this consumer to be paused (or has not resumed it yet). */
  clientPaused: boolean;
}

export interface MediaOptions {
  maxTransports?: number;
  /** The SFU governor paused (true) or released a video of this peer's to keep its audio. */
  videoHeld?: (consumer: types.Consumer<ConsumerAppData>, held: boolean) => void;
}

/**
 * The media of one peer on one router: its transports, producers and consumers. Every mediasoup
 * call for a peer goes through here, and `close()` releases all of it (closing a transport closes
 * what it carries). A new PeerMedia is made for every join; one that is closed (the peer left or
 * rejoined, or the router's worker died) refuses further use and cleans up what was in flight.
 */
export class PeerMedia {
  readonly transports = new Map<string, PeerTransport>();
  /** Transports whose DTLS parameters were given (connect is once per transport). */
  private readonly connected = new WeakSet<PeerTransport>();
  readonly producers = new Map<string, types.Producer<ProducerAppData>>();
  readonly consumers = new Map<string, types.Consumer<ConsumerAppData>>();
  private ended = false;
  /** Whether each video flows: the client's wish, audio-only, last-N and the governor. */
  private readonly video = new VideoFlow(this.consumers);
  readonly governor: LayerGovernor;

  constructor(
    readonly peerId: string,
    readonly router: types.Router,
    private readonly factory: TransportFactory,
    private readonly log: Logger,
    private readonly opts: MediaOptions = {},
  ) {
    this.governor = new LayerGovernor(
      {
        transports: () => this.transports.values(),
        consumers: () => this.consumers.values(),
        wantsVideo: (c) => this.video.wanted(c as types.Consumer<ConsumerAppData>),
        held: (c, held) => this.opts.videoHeld?.(c as types.Consumer<ConsumerAppData>, held),
      },
      log,
    );
  }

  get closed(): boolean {
    return this.ended || this.router.closed;
  }

  iceServersFor(userId: string): Promise<unknown[]> {
    return this.factory.iceServersFor(userId);
  }

  // ---------------------------------------------------------------- transports

  async createWebRtcTransport(
    direction: TransportDirection,
    forceTcp: boolean,
    start: StartHint = {},
  ): Promise<types.WebRtcTransport> {
    const max = this.opts.maxTransports ?? 4;
    const webRtc = [...this.transports.values()].filter((t) => t.type === 'webrtc').length;
    if (webRtc >= max) throw new SfuError('limit_exceeded', `at most ${max} transports per peer`);
    const transport = await this.factory.webRtc(this.router, {
      direction,
      forceTcp,
      start,
      appData: { direction, peerId: this.peerId },
    });
    this.adopt(transport);
    const where = { peer: this.peerId, transport: transport.id };
    // How long ICE and DTLS took from the transport's creation: on a lossy line the handshake
    // is most of a join's wait, and an operator asked why a site joins slowly reads it here.
    const created = Date.now();
    let iceMs: number | undefined;
    transport.on('dtlsstatechange', (state) => {
      if (state === 'connected')
        this.log.info(
          { ...where, direction, iceMs, dtlsMs: Date.now() - created },
          'transport connected',
        );
      if (state === 'failed' || state === 'closed')
        this.log.warn({ ...where, state }, 'transport DTLS ended');
    });
    transport.on('icestatechange', (state) => {
      if (iceMs === undefined && (state === 'connected' || state === 'completed'))
        iceMs = Date.now() - created;
      if (state === 'disconnected') this.log.info(where, 'transport ICE disconnected');
    });
    return transport;
  }

  /** A plain RTP transport owned by this peer (server-side endpoints: benchmark, recorder). */
  async createPlainTransport(opts: PlainTransportOptions): Promise<types.PlainTransport> {
    const transport = await this.factory.plain(this.router, {
      ...opts,
      appData: { direction: opts.direction, peerId: this.peerId },
    });
    this.adopt(transport);
    return transport;
  }

  private adopt(transport: PeerTransport): void {
    if (this.closed) {
      // The peer left or rejoined while the transport was being created.
      transport.close();
      throw new SfuError('conflict', 'peer left or rejoined meanwhile');
    }
    this.transports.set(transport.id, transport);
    (transport.observer as types.TransportObserver).on('close', () =>
      this.transports.delete(transport.id),
    );
  }

  transport(id: string, direction?: TransportDirection): PeerTransport {
    const t = this.transports.get(id);
    if (!t || (direction && (t.appData as { direction?: string }).direction !== direction)) {
      const what = direction === 'send' ? 'send ' : direction === 'recv' ? 'receive ' : '';
      throw new SfuError('not_found', `${what}transport not found`);
    }
    return t;
  }

  private webRtcTransport(id: string): types.WebRtcTransport {
    const t = this.transport(id);
    if (t.type !== 'webrtc') throw new SfuError('not_found', 'transport not found');
    return t;
  }

  /** Once per transport (mediasoup refuses a second connect as an internal error). */
  async connectTransport(id: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    const transport = this.webRtcTransport(id);
    if (this.connected.has(transport))
      throw new SfuError('conflict', 'transport already connected');
    this.connected.add(transport);
    try {
      await transport.connect({ dtlsParameters });
    } catch (err) {
      this.connected.delete(transport);
      throw err;
    }
  }

  restartIce(id: string): Promise<types.IceParameters> {
    return this.webRtcTransport(id).restartIce();
  }

  // ---------------------------------------------------------------- producers

  /** Produce on a send transport; one producer per source (producing it again replaces it). */
  async produce(
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ): Promise<types.Producer<ProducerAppData>> {
    const transport = this.transport(transportId, 'send');
    const max = SIGNALLING_LIMITS.maxProducersPerPeer;
    if (!this.producerBySource(source) && this.producers.size >= max)
      throw new SfuError('limit_exceeded', `at most ${max} producers per peer`);
    const producer = await transport.produce<ProducerAppData>({
      kind,
      rtpParameters,
      appData: { peerId: this.peerId, source },
    });
    if (this.closed || transport.closed) {
      producer.close();
      throw new SfuError('conflict', 'peer left or rejoined meanwhile');
    }
    // Re-checked after the await: two concurrent requests for one source still leave one producer.
    this.producerBySource(source)?.close();
    this.producers.set(producer.id, producer);
    producer.observer.on('close', () => this.producers.delete(producer.id));
    return producer;
  }

  producerBySource(source: MediaSource): types.Producer<ProducerAppData> | undefined {
    for (const p of this.producers.values()) if (p.appData.source === source) return p;
    return undefined;
  }

  producer(id: string): types.Producer<ProducerAppData> {
    const producer = this.producers.get(id);
    if (!producer) throw new SfuError('not_found', 'producer not found');
    return producer;
  }

  // ---------------------------------------------------------------- consumers

  /**
   * Consume a producer (already available on this router) on a receive transport, paused until
   * the client resumes it. Consuming the same producer again replaces the earlier consumers, so a
   * peer never holds more consumers than the room has producers; they are returned as `replaced`.
   */
  async consume(
    transportId: string,
    producer: types.Producer,
    ownerPeerId: string,
    rtpCapabilities: types.RtpCapabilities,
    speakerPeerId?: string,
  ): Promise<{ consumer: types.Consumer<ConsumerAppData>; replaced: types.Consumer[] }> {
    const transport = this.transport(transportId, 'recv');
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities })) {
      throw new SfuError('invalid_message', 'these rtpCapabilities cannot consume this producer');
    }
    const replaced = [...this.consumers.values()].filter((c) => c.producerId === producer.id);
    for (const c of replaced) c.close();
    const source = (producer.appData as { source?: MediaSource }).source;
    const consumer = await transport.consume<ConsumerAppData>({
      producerId: producer.id,
      rtpCapabilities,
      paused: true,
      // Retransmission for audio too (mediasoup's default is video only): Chromium asks for lost
      // Opus packets with NACK, which on a lossy 3G downlink beats concealment.
      enableRtx: true,
      appData: {
        peerId: ownerPeerId,
        source,
        clientPaused: true,
        transportId,
        ...(producer.kind === 'video' ? producerLayers(producer) : {}),
      },
    });
    if (this.closed || transport.closed) {
      consumer.close();
      throw new SfuError('conflict', 'peer left or rejoined meanwhile');
    }
    this.consumers.set(consumer.id, consumer);
    consumer.observer.on('close', () => this.consumers.delete(consumer.id));
    await this.prioritise(consumer, speakerPeerId);
    if (consumer.kind === 'video') this.governor.start();
    return { consumer, replaced };
  }

  private async prioritise(c: types.Consumer<ConsumerAppData>, speakerPeerId?: string) {
    const priority =
      c.kind === 'audio'
        ? CONSUMER_PRIORITY.audio
        : c.appData.source === 'screen'
          ? CONSUMER_PRIORITY.screen
          : c.appData.peerId === speakerPeerId
            ? CONSUMER_PRIORITY.speakerCamera
            : CONSUMER_PRIORITY.camera;
    if (c.priority !== priority && !c.closed) await c.setPriority(priority).catch(() => undefined);
  }

  /** The active speaker changed: their camera goes first among the cameras. */
  async followSpeaker(speakerPeerId: string): Promise<void> {
    await Promise.all(
      [...this.consumers.values()]
        .filter((c) => c.kind === 'video')
        .map((c) => this.prioritise(c, speakerPeerId)),
    );
  }

  consumer(id: string): types.Consumer<ConsumerAppData> {
    const consumer = this.consumers.get(id);
    if (!consumer) throw new SfuError('not_found', 'consumer not found');
    return consumer;
  }

  /** The client resumed a consumer (see VideoFlow.resume). */
  resumeConsumer(id: string, holdVideo: boolean): Promise<{ paused: boolean }> {
    return this.video.resume(this.consumer(id), holdVideo);
  }

  pauseConsumer(id: string): Promise<void> {
    return this.video.pause(this.consumer(id));
  }

  setPreferredLayers(id: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    return this.video.setPreferredLayers(this.consumer(id), spatialLayer, temporalLayer);
  }

  /** Audio-only: hold every video consumer, or release them (see VideoFlow.hold). */
  holdVideo(hold: boolean): Promise<number> {
    return this.video.hold(hold);
  }

  /** A training room's last-N (see VideoFlow.gate). */
  gateVideo(allowed: (producerId: string) => boolean, audioOnly: boolean): Promise<void> {
    return this.video.gate(allowed, audioOnly);
  }

  /** Transports with their connection state, producers and consumers, as a client may compare
   * them with its own after a signalling reconnect. */
  describe(): Omit<ResumeResult, 'peerId' | 'media'> {
    return {
      transports: [...this.transports.values()].map((t) => ({
        id: t.id,
        direction: (t.appData as { direction: 'send' | 'recv' }).direction,
        iceState: t.type === 'webrtc' ? t.iceState : 'none',
        dtlsState: t.type === 'webrtc' ? t.dtlsState : 'none',
      })),
      producers: [...this.producers.values()].map((p) => ({
        id: p.id,
        kind: p.kind,
        source: p.appData.source,
        paused: p.paused,
      })),
      consumers: [...this.consumers.values()].map((c) => ({
        id: c.id,
        producerId: c.producerId,
        peerId: c.appData.peerId,
        kind: c.kind,
        paused: c.paused,
      })),
    };
  }

  /** Close every transport (and with them producers and consumers). */
  close(): void {
    this.ended = true;
    this.governor.stop();
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
  }
}
