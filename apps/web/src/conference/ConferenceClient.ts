import { Device } from 'mediasoup-client';
import type { types as ms } from 'mediasoup-client';
import type { Socket } from 'socket.io-client';
import type {
  ConsumerInfo,
  JoinResponse,
  JoinResult,
  MediaSource,
  PeerInfo,
  ProducerInfo,
  ResumeResult,
  SignallingRequestName,
} from '@caunoi/shared';
import {
  qualityFromSamples,
  qualityFromScore,
  worst,
  type Quality,
  type RtpSample,
} from './quality';
import { cameraEncodings } from './devices';
import { planResume } from './resume';
import { openSignalling, signal } from './signalling';
import { receiverStats } from './receiver-stats';
import { createTransport, IceRecovery } from './transport';
import type {
  ConferenceOptions,
  ConferenceSnapshot,
  ReceiverStat,
  RemotePeer,
  RemoteTrack,
} from './types';
import {
  LinkController,
  readInbound,
  holdCamera,
  uplinkEstimateKbps,
  type ControlledConsumer,
} from './link-control';

/**
 * The media plane of one session room: one socket.io connection to the SFU, a send and a recv
 * transport, our producers (mic, camera, screen) and a consumer per remote producer.
 * It knows nothing of React: the hook subscribes to snapshots.
 *
 * Reconnection: socket.io reconnects by itself (fetching a fresh join token each time); on a
 * reconnect the SFU is asked (`resume`) whether it still holds our transports: if so the media is
 * kept (no second dropout after a short outage), otherwise the whole media setup is redone, so a
 * dropped link or an SFU restart heals itself. ICE trouble is handled with restartIce.
 */

export type {
  ConferenceOptions,
  ConferenceSnapshot,
  ConnectionState,
  ReceiverStat,
  RemotePeer,
  RemoteTrack,
} from './types';

/** Simulcast layers that the captured camera can feed (3 at 720p; see devices.ts). */
function cameraEncodingsFor(track: MediaStreamTrack): ms.RtpEncodingParameters[] {
  return cameraEncodings(track.getSettings?.().height);
}

export class ConferenceClient {
  private socket: Socket | null = null;
  private device: Device | null = null;
  private sendTransport: ms.Transport | null = null;
  private recvTransport: ms.Transport | null = null;
  private producers = new Map<MediaSource, ms.Producer>();
  private consumers = new Map<string, ControlledConsumer>();
  private link = new LinkController();
  /** The camera is held back by the uplink policy (not by the person). */
  private cameraHeld = false;
  /** When the camera started sending: the estimate needs a while to ramp up before it is judged. */
  private cameraSince = 0;
  /** The sender's own view of its line, per consumer: the SFU's producer score (0..10). */
  private producerScores = new Map<string, number>();
  private sampleQuality = new Map<string, Quality>();
  private peers = new Map<string, PeerInfo>();
  private quality = new Map<string, Quality>(); // by consumer id
  private samples = new Map<string, RtpSample>();
  private pendingProducers: ProducerInfo[] = [];
  private listeners = new Set<() => void>();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private ice = new IceRecovery();
  private setupSeq = 0;
  private closed = false;
  private snap: ConferenceSnapshot;
  private screenStream: MediaStream | null = null;

  constructor(private readonly opts: ConferenceOptions) {
    this.snap = {
      state: 'idle',
      error: null,
      selfPeerId: null,
      peers: [],
      activeSpeakerId: null,
      micOn: opts.stream.getAudioTracks().some((t) => t.enabled),
      cameraOn: !opts.audioOnly && opts.stream.getVideoTracks().length > 0,
      sharing: false,
      audioOnly: opts.audioOnly,
      localStream: opts.stream,
      screenStream: null,
      linkMode: 'normal',
      uplinkLimited: false,
    };
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = (): ConferenceSnapshot => this.snap;

  private update(patch: Partial<ConferenceSnapshot> = {}): void {
    const peers: RemotePeer[] = [...this.peers.values()].map((p) => {
      const tracks: RemoteTrack[] = [];
      const qs: Quality[] = [];
      for (const [id, c] of this.consumers) {
        if (c.peerId !== p.id) continue;
        tracks.push({
          consumerId: id,
          producerId: c.consumer.producerId,
          kind: c.consumer.kind as 'audio' | 'video',
          source: c.source,
          track: c.consumer.track,
          paused: c.producerPaused || c.consumer.paused,
          heldForLink: !!c.heldForLink,
        });
        if (!c.producerPaused && !c.heldForLink)
          qs.push(
            worst(this.quality.get(id) ?? 'unknown', this.sampleQuality.get(id) ?? 'unknown'),
          );
      }
      const weakLink = [...this.consumers].some(
        ([id, c]) =>
          c.peerId === p.id && !c.producerPaused && (this.producerScores.get(id) ?? 10) <= 4,
      );
      return { ...p, tracks, quality: worst(...qs), weakLink };
    });
    this.snap = { ...this.snap, peers, ...patch };
    for (const l of this.listeners) l();
  }

  private request<T>(name: SignallingRequestName, data: unknown = {}): Promise<T> {
    return this.socket
      ? signal<T>(this.socket, name, data)
      : Promise.reject(new Error('not connected'));
  }

  async start(): Promise<void> {
    this.update({ state: 'connecting' });
    let first: JoinResponse;
    try {
      first = await this.opts.getJoin();
    } catch (err) {
      this.update({ state: 'failed', error: (err as Error).message, failure: err });
      throw err;
    }
    if (this.closed) return; // left (or unmounted) while the join call was in flight
    const socket = openSignalling(first, this.opts.getJoin, () => this.snap.selfPeerId);
    this.socket = socket;
    socket.on('connect', () => void this.onConnect());
    socket.on('disconnect', (reason) => {
      if (this.closed) return;
      if (reason === 'io server disconnect') socket.connect();
      this.update({ state: 'reconnecting' });
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'session_ended') return this.halt('session_ended', 'session ended');
      if (!this.closed && this.snap.state !== 'connecting') this.update({ state: 'reconnecting' });
    });
    socket.on('peerJoined', (p: PeerInfo) => {
      this.peers.set(p.id, p);
      this.update();
    });
    socket.on('peerLeft', ({ peerId }: { peerId: string }) => {
      this.peers.delete(peerId);
      for (const [id, c] of this.consumers) if (c.peerId === peerId) this.dropConsumer(id);
      this.update(this.snap.activeSpeakerId === peerId ? { activeSpeakerId: null } : {});
    });
    socket.on('newProducer', (p: ProducerInfo) => void this.consume(p));
    socket.on('producerClosed', ({ producerId }: { producerId: string }) => {
      for (const [id, c] of this.consumers)
        if (c.consumer.producerId === producerId) this.dropConsumer(id);
      this.update();
    });
    socket.on('consumerClosed', ({ consumerId }: { consumerId: string }) => {
      this.dropConsumer(consumerId);
      this.update();
    });
    const setPaused = (producerId: string, paused: boolean) => {
      for (const c of this.consumers.values()) {
        if (c.consumer.producerId === producerId) c.producerPaused = paused;
      }
      this.update();
    };
    socket.on('producerPaused', (e: { producerId: string }) => setPaused(e.producerId, true));
    socket.on('producerResumed', (e: { producerId: string }) => setPaused(e.producerId, false));
    socket.on('activeSpeaker', ({ peerId }: { peerId: string | null }) =>
      this.update({ activeSpeakerId: peerId ?? null }),
    );
    socket.on(
      'score',
      (e: { consumerId?: string; score?: number | { score?: number; producerScore?: number } }) => {
        const value = typeof e.score === 'number' ? e.score : e.score?.score;
        if (!e.consumerId || typeof value !== 'number') return;
        this.quality.set(e.consumerId, qualityFromScore(value));
        const producerScore = typeof e.score === 'object' ? e.score?.producerScore : undefined;
        if (typeof producerScore === 'number') this.producerScores.set(e.consumerId, producerScore);
        this.update();
      },
    );
    socket.on('rejoin', () => void this.setup());
    // The session was ended, or this user's peer continues on another connection (another tab or
    // device): stop for good instead of reconnecting, which would take the peer back.
    socket.on('sessionEnded', () => this.halt('session_ended', 'session ended'));
    socket.on('peerReplaced', () => this.halt('conflict', 'joined from another tab or device'));
    this.statsTimer = setInterval(() => void this.pollStats(), 2000);
  }

  /** A (re)connected socket: keep the media the SFU still holds for us, else rebuild it. */
  private async onConnect(): Promise<void> {
    const send = this.sendTransport;
    const recv = this.recvTransport;
    if (!send || !recv || this.closed) return this.setup();
    const seq = this.setupSeq;
    const answer = await this.request<ResumeResult>('resume').catch(() => null);
    if (seq !== this.setupSeq || this.closed) return; // a rejoin is already rebuilding
    const plan = planResume(
      {
        selfPeerId: this.snap.selfPeerId,
        sendTransportId: send.closed ? null : send.id,
        recvTransportId: recv.closed ? null : recv.id,
        consumerIds: [...this.consumers.keys()],
      },
      answer,
    );
    if (!plan.keep) return this.setup();
    for (const id of plan.dropConsumers) this.dropConsumer(id);
    const live = send.connectionState === 'connected' && recv.connectionState === 'connected';
    this.update(live ? { state: 'connected', error: null } : {});
  }

  /** (Re)build the whole media setup on a fresh socket connection. */
  private async setup(): Promise<void> {
    if (this.closed) return;
    const seq = ++this.setupSeq;
    this.teardownMedia();
    try {
      if (!this.device) {
        const caps = await this.request<ms.RtpCapabilities>('getRouterRtpCapabilities');
        const device = new Device();
        await device.load({ routerRtpCapabilities: caps });
        this.device = device;
      }
      const device = this.device;
      // Join first (the SFU learns our capabilities), then open transports; producers announced
      // before the recv transport exists wait in pendingProducers.
      this.pendingProducers = [];
      const joined = await this.request<JoinResult & { peerId?: string; self?: { id: string } }>(
        'join',
        {
          displayName: this.opts.displayName,
          rtpCapabilities: device.recvRtpCapabilities,
        },
      );
      if (seq !== this.setupSeq) return;
      this.peers.clear();
      for (const p of joined.peers ?? []) this.peers.set(p.id, p);
      const selfPeerId = joined.peerId ?? joined.self?.id ?? null;
      if (selfPeerId) this.peers.delete(selfPeerId);
      this.update({ selfPeerId });
      this.recvTransport = await this.createTransport('recv');
      this.sendTransport = await this.createTransport('send');
      if (seq !== this.setupSeq) return;
      if (this.snap.audioOnly)
        await this.request('setAudioOnly', { enabled: true }).catch(() => undefined);
      const initial = [...(joined.producers ?? []), ...this.pendingProducers];
      this.pendingProducers = [];
      for (const p of initial) await this.consume(p);
      await this.produceLocal();
      if (seq === this.setupSeq) this.update({ state: 'connected', error: null });
    } catch (err) {
      if (seq !== this.setupSeq || this.closed) return;
      this.update({ state: 'reconnecting', error: (err as Error).message });
      // Try again on the same socket after a pause; a dropped socket triggers its own setup.
      setTimeout(() => {
        if (seq === this.setupSeq && this.socket?.connected && !this.closed) void this.setup();
      }, 2000);
    }
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<ms.Transport> {
    const transport = await createTransport(this.device!, direction, (n, d) => this.request(n, d));
    this.ice.watch(transport, {
      onConnected: () => {
        if (this.closed) return;
        if (this.snap.state === 'reconnecting' && this.socket?.connected)
          this.update({ state: 'connected', error: null });
      },
      onTrouble: () => {
        if (!this.closed) this.update({ state: 'reconnecting' });
        return !this.closed;
      },
      restartIce: () => this.request<ms.IceParameters>('restartIce', { transportId: transport.id }),
    });
    return transport;
  }

  private async produceLocal(): Promise<void> {
    const send = this.sendTransport;
    if (!send) return;
    const audio = this.opts.stream.getAudioTracks()[0];
    if (audio) {
      const p = await send.produce({ track: audio, appData: { source: 'mic' }, stopTracks: false });
      if (!this.snap.micOn) p.pause();
      this.producers.set('mic', p);
    }
    const video = this.opts.stream.getVideoTracks()[0];
    if (video && this.device?.canProduce('video')) {
      const p = await send.produce({
        track: video,
        encodings: cameraEncodingsFor(video),
        codecOptions: { videoGoogleStartBitrate: 300 },
        appData: { source: 'camera' },
        stopTracks: false,
      });
      if (!this.snap.cameraOn) {
        p.pause();
        await this.request('pauseProducer', { producerId: p.id }).catch(() => undefined);
      }
      this.producers.set('camera', p);
      this.cameraSince = Date.now();
    }
    const screen = this.screenStream?.getVideoTracks()[0];
    if (screen && screen.readyState === 'live') {
      const p = await send.produce({
        track: screen,
        appData: { source: 'screen' },
        stopTracks: false,
      });
      this.producers.set('screen', p);
    }
  }

  private async consume(p: ProducerInfo): Promise<void> {
    const recv = this.recvTransport;
    if (!recv || !this.device) {
      this.pendingProducers.push(p);
      return;
    }
    if (p.peerId && p.peerId === this.snap.selfPeerId) return;
    if ([...this.consumers.values()].some((c) => c.consumer.producerId === p.id)) return;
    try {
      const info = await this.request<ConsumerInfo>('consume', {
        transportId: recv.id,
        producerId: p.id,
        rtpCapabilities: this.device.recvRtpCapabilities,
      });
      const consumer = await recv.consume({
        id: info.id,
        producerId: info.producerId,
        kind: info.kind,
        rtpParameters: info.rtpParameters as ms.RtpParameters,
      });
      const peerId = info.peerId ?? p.peerId;
      const source = ((info.appData?.source as MediaSource | undefined) ??
        p.appData?.source ??
        (info.kind === 'audio' ? 'mic' : 'camera')) as MediaSource;
      this.consumers.set(consumer.id, { consumer, peerId, source, producerPaused: !!p.paused });
      if (!this.peers.has(peerId))
        this.peers.set(peerId, {
          id: peerId,
          userId: '',
          displayName: '',
          facility: { id: null, name: '' },
        });
      await this.request('resumeConsumer', { consumerId: consumer.id });
      this.update();
    } catch {
      /* the producer may have closed meanwhile */
    }
  }

  private dropConsumer(id: string): void {
    const c = this.consumers.get(id);
    if (!c) return;
    c.consumer.close();
    this.consumers.delete(id);
    this.quality.delete(id);
    this.samples.delete(id);
    this.sampleQuality.delete(id);
    this.producerScores.delete(id);
  }

  private teardownMedia(): void {
    this.link.reset();
    this.cameraHeld = false;
    for (const id of [...this.consumers.keys()]) this.dropConsumer(id);
    for (const p of this.producers.values()) p.close();
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.ice.clear();
  }

  /**
   * Every two seconds: link quality per remote stream (nothing arriving is "poor", whatever the
   * SFU's score says), the downlink policy (which videos to receive, at which layer) and the
   * camera layers the uplink can carry.
   */
  private async pollStats(): Promise<void> {
    const inbound = await readInbound(this.consumers);
    let changed = false;
    for (const [id, s] of inbound) {
      const sample: RtpSample = {
        packetsReceived: s.packetsReceived ?? 0,
        packetsLost: s.packetsLost ?? 0,
        jitter: s.jitter,
      };
      const q = qualityFromSamples(this.samples.get(id), sample);
      this.samples.set(id, sample);
      if (q !== 'unknown' && q !== this.sampleQuality.get(id)) {
        this.sampleQuality.set(id, q);
        changed = true;
      }
    }
    if (this.closed) return;
    const request = (
      name: 'pauseConsumer' | 'resumeConsumer' | 'setPreferredLayers',
      data: object,
    ) => this.request(name, data);
    if (
      await this.link.tick(
        this.consumers,
        inbound,
        this.snap.activeSpeakerId,
        this.snap.audioOnly,
        request,
      )
    )
      changed = true;
    if (await this.adaptCamera()) changed = true;
    if (changed || this.link.mode !== this.snap.linkMode)
      this.update({ linkMode: this.link.mode, uplinkLimited: this.cameraHeld });
  }

  /** Holds the camera back while the uplink estimate cannot carry even its lowest layer. */
  private async adaptCamera(): Promise<boolean> {
    const camera = this.producers.get('camera');
    if (!camera || !this.snap.cameraOn || this.snap.audioOnly) return false;
    if (Date.now() - this.cameraSince < 10_000) return false;
    const hold = holdCamera(await uplinkEstimateKbps(this.sendTransport), this.cameraHeld);
    if (hold === this.cameraHeld) return false;
    this.cameraHeld = hold;
    if (hold) camera.pause();
    else camera.resume();
    await this.request(hold ? 'pauseProducer' : 'resumeProducer', { producerId: camera.id }).catch(
      () => undefined,
    );
    return true;
  }

  /** What arrives from each remote producer (inbound-rtp), for quality indicators and tests. */
  receiverStats(): Promise<ReceiverStat[]> {
    return receiverStats(this.consumers);
  }

  async setMic(on: boolean): Promise<void> {
    const p = this.producers.get('mic');
    this.opts.stream.getAudioTracks().forEach((t) => (t.enabled = on));
    if (p) {
      if (on) {
        p.resume();
      } else p.pause();
      await this.request(on ? 'resumeProducer' : 'pauseProducer', { producerId: p.id }).catch(
        () => undefined,
      );
    }
    this.update({ micOn: on });
  }

  async setCamera(on: boolean): Promise<void> {
    const p = this.producers.get('camera');
    // The person decides: turning the camera on starts again, judged afresh after a while.
    this.cameraHeld = false;
    this.cameraSince = Date.now();
    this.opts.stream.getVideoTracks().forEach((t) => (t.enabled = on));
    if (p) {
      if (on) p.resume();
      else p.pause();
      await this.request(on ? 'resumeProducer' : 'pauseProducer', { producerId: p.id }).catch(
        () => undefined,
      );
    } else if (on && this.sendTransport) {
      const video = this.opts.stream.getVideoTracks()[0];
      if (video) {
        const np = await this.sendTransport.produce({
          track: video,
          encodings: cameraEncodingsFor(video),
          appData: { source: 'camera' },
          stopTracks: false,
        });
        this.producers.set('camera', np);
      }
    }
    this.update({ cameraOn: on });
  }

  /** Audio-only: stop sending and receiving video; audio keeps flowing on a weak link. */
  async setAudioOnly(enabled: boolean): Promise<void> {
    await this.request('setAudioOnly', { enabled }).catch(() => undefined);
    for (const c of this.consumers.values()) {
      if (c.consumer.kind !== 'video') continue;
      if (enabled) c.consumer.pause();
      else c.consumer.resume();
    }
    this.update({ audioOnly: enabled });
    await this.setCamera(!enabled);
  }

  async startScreenShare(): Promise<void> {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    this.screenStream = stream;
    if (this.sendTransport) {
      const p = await this.sendTransport.produce({
        track,
        appData: { source: 'screen' },
        stopTracks: false,
      });
      this.producers.set('screen', p);
    }
    track.addEventListener('ended', () => void this.stopScreenShare());
    this.update({ sharing: true, screenStream: stream });
  }

  async stopScreenShare(): Promise<void> {
    const p = this.producers.get('screen');
    if (p) {
      p.close();
      this.producers.delete('screen');
      await this.request('closeProducer', { producerId: p.id }).catch(() => undefined);
    }
    this.screenStream?.getTracks().forEach((t) => t.stop());
    this.screenStream = null;
    this.update({ sharing: false, screenStream: null });
  }

  /** Drop the signalling link as a network failure would (diagnostics and tests): it heals itself. */
  simulateLinkDrop(): void {
    this.socket?.io.engine?.close();
  }

  private halt(code: string, message: string): void {
    if (this.closed) return;
    this.close();
    this.update({
      state: 'failed',
      error: message,
      failure: Object.assign(new Error(message), { code }),
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.setupSeq++;
    if (this.statsTimer) clearInterval(this.statsTimer);
    try {
      this.socket?.emit('leave', {}, () => undefined);
    } catch {
      /* ignore */
    }
    this.teardownMedia();
    this.screenStream?.getTracks().forEach((t) => t.stop());
    this.socket?.disconnect();
    this.socket = null;
    this.update({ state: 'closed' });
  }
}
