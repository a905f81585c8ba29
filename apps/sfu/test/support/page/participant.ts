/**
 * A minimal conference participant for tests, bundled with esbuild and run in headless Chromium
 * (or any browser). It speaks the SPEC's signalling contract with mediasoup-client and exposes a
 * small API on `window.participant` for page.evaluate(). The web app's conference code can
 * borrow from it: join flow, rejoin after a media restart, consumer bookkeeping, stats.
 */
import { Device, types } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';

type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
interface ProducerInfo {
  id: string;
  peerId: string;
  kind: 'audio' | 'video';
  appData: { source: string };
}
interface JoinResult {
  peerId: string;
  resumed: boolean;
  peers: Array<{ id: string; userId: string; displayName: string }>;
  producers: ProducerInfo[];
}

export interface JoinOptions {
  url: string;
  token: string;
  sessionId?: string;
  audio?: boolean;
  video?: boolean;
  simulcast?: boolean;
  displayName?: string;
  /** Preferred video codec mime type, e.g. "video/H264" (default: the router's first, VP8). */
  videoCodec?: string;
  /** 'relay': media only through TURN (what a client behind a firewall without UDP gets). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Use these instead of the iceServers of the SFU's createTransport answer. */
  iceServers?: RTCIceServer[];
  /** Join opening the transports, with the fingerprints of a certificate made ahead
   * (`dtlsFingerprints`): no `connectTransport` is sent for those the SFU connected. */
  dtlsAhead?: boolean;
}

type TransportAnswer = {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
  iceServers?: RTCIceServer[];
  dtlsConnected?: boolean;
};

interface ConsumerEntry {
  consumer: types.Consumer;
  peerId: string;
  producerId: string;
  source: string;
  closed: boolean;
  /** Rendering element: keeps the track decoding in Chromium. */
  element?: HTMLMediaElement;
}

export interface ConsumerStats {
  id: string;
  producerId: string;
  peerId: string;
  kind: string;
  source: string;
  closed: boolean;
  framesDecoded: number;
  frameWidth: number;
  packetsReceived: number;
  bytesReceived: number;
  concealedSamples: number;
}

class Participant {
  socket?: Socket;
  device?: Device;
  sendTransport?: types.Transport;
  /** The iceServers of the SFU's last createTransport answer. */
  iceServersSeen: RTCIceServer[] = [];
  recvTransport?: types.Transport;
  peerId?: string;
  stream?: MediaStream;
  opts?: JoinOptions;
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, ConsumerEntry>();
  readonly events: Array<{ at: number; event: string; data: unknown }> = [];
  /** Signalling requests sent, by name. */
  readonly sent: Record<string, number> = {};
  joins = 0;
  private joining?: Promise<JoinResult>;
  private pending: ProducerInfo[] = [];
  private readonly inFlight = new Set<string>();

  /** Connect (admission only). Resolves with the socket id or rejects with the refusal. */
  connect(opts: JoinOptions): Promise<string> {
    this.opts = opts;
    const auth = (cb: (data: object) => void) =>
      cb({ token: opts.token, sessionId: opts.sessionId, peerId: this.peerId });
    const socket = io(opts.url, {
      auth,
      transports: ['websocket'],
      reconnectionDelay: 300,
      reconnectionDelayMax: 1000,
    });
    this.socket = socket;
    for (const event of [
      'peerJoined',
      'peerLeft',
      'newProducer',
      'producerClosed',
      'producerPaused',
      'producerResumed',
      'consumerClosed',
      'activeSpeaker',
      'consumerLayersChanged',
      'rejoin',
      'peerReplaced',
      'sessionEnded',
      'recordingState',
    ]) {
      socket.on(event, (data: unknown) => {
        this.events.push({ at: Date.now(), event, data });
        void this.onEvent(event, data as Record<string, unknown>);
      });
    }
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket.id ?? ''));
      socket.once('connect_error', (err: Error & { data?: unknown }) => {
        socket.close();
        reject(new Error(JSON.stringify({ message: err.message, data: err.data })));
      });
    });
  }

  request<T = unknown>(name: string, data?: unknown): Promise<T> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('not connected'));
    this.sent[name] = (this.sent[name] ?? 0) + 1;
    return new Promise((resolve, reject) => {
      socket.timeout(15_000).emit(name, data ?? {}, (err: Error | null, ack: Ack<T>) => {
        if (err) reject(new Error(`${name}: no answer (${err.message})`));
        else if (!ack.ok) reject(new Error(`${name}: ${ack.error.code}: ${ack.error.message}`));
        else resolve(ack.data);
      });
    });
  }

  /** Raw emit for abuse tests: returns the ack as is. */
  raw(name: string, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve) =>
      this.socket!.emit(name, ...args, (ack: unknown) => resolve(ack)),
    );
  }

  async join(opts: JoinOptions): Promise<JoinResult> {
    await this.connect(opts);
    if (opts.audio !== false || opts.video !== false) {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: opts.audio !== false,
        video: opts.video !== false ? { width: 640, height: 480, frameRate: 20 } : false,
      });
    }
    return this.runJoin();
  }

  /** The join flow; also used to rejoin after the SFU asks (`rejoin`, e.g. a media worker died). */
  runJoin(): Promise<JoinResult> {
    this.joining ??= this.doJoin().finally(() => (this.joining = undefined));
    return this.joining;
  }

  private async doJoin(): Promise<JoinResult> {
    this.joins++;
    this.teardownMedia();
    const routerRtpCapabilities = await this.request<types.RtpCapabilities>(
      'getRouterRtpCapabilities',
    );
    const device = new Device();
    await device.load({ routerRtpCapabilities });
    this.device = device;
    const certificate = this.opts?.dtlsAhead
      ? await RTCPeerConnection.generateCertificate({
          name: 'ECDSA',
          namedCurve: 'P-256',
        } as EcKeyGenParams)
      : undefined;
    const res = await this.request<
      JoinResult & { transports?: { recv?: TransportAnswer; send?: TransportAnswer } }
    >('join', {
      displayName: this.opts?.displayName,
      rtpCapabilities: device.rtpCapabilities,
      ...(certificate
        ? {
            transports: { recv: true, send: !!this.stream },
            dtlsFingerprints: certificate.getFingerprints(),
          }
        : {}),
    });
    this.peerId = res.peerId;
    this.recvTransport = res.transports?.recv
      ? this.openTransport('recv', res.transports.recv, certificate)
      : await this.createTransport('recv');
    const tracks = this.stream?.getTracks() ?? [];
    if (tracks.length) {
      this.sendTransport = res.transports?.send
        ? this.openTransport('send', res.transports.send, certificate)
        : await this.createTransport('send');
      for (const track of tracks) await this.produce(track);
    }
    // Producers announced (newProducer) while we were joining wait in `pending`: consume them too.
    const initial = [...res.producers, ...this.pending.splice(0)];
    await Promise.all(
      initial.map((p) =>
        this.consume(p).catch((e) =>
          this.events.push({ at: Date.now(), event: 'consumeError', data: String(e) }),
        ),
      ),
    );
    return res;
  }

  private async createTransport(direction: 'send' | 'recv'): Promise<types.Transport> {
    const info = await this.request<TransportAnswer>('createTransport', { direction });
    return this.openTransport(direction, info);
  }

  private openTransport(
    direction: 'send' | 'recv',
    info: TransportAnswer,
    certificate?: RTCCertificate,
  ): types.Transport {
    const device = this.device!;
    const ahead = info.dtlsConnected && certificate;
    const options = {
      id: info.id,
      iceParameters: info.iceParameters,
      iceCandidates: info.iceCandidates,
      dtlsParameters: ahead
        ? { ...info.dtlsParameters, role: 'server' as const }
        : info.dtlsParameters,
      iceServers: this.opts?.iceServers ?? info.iceServers,
      iceTransportPolicy: this.opts?.iceTransportPolicy,
      ...(ahead ? { additionalSettings: { certificates: [certificate] } } : {}),
    };
    this.iceServersSeen = info.iceServers ?? [];
    const transport =
      direction === 'send'
        ? device.createSendTransport(options)
        : device.createRecvTransport(options);
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      if (ahead) {
        this.events.push({
          at: Date.now(),
          event: `connect:${direction}:ahead`,
          data: dtlsParameters,
        });
        callback();
        return;
      }
      this.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(
        () => callback(),
        errback,
      );
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.request<{ id: string }>('produce', {
          transportId: transport.id,
          kind,
          rtpParameters,
          appData,
        }).then(callback, errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      this.events.push({
        at: Date.now(),
        event: `transport:${direction}:${state}`,
        data: transport.id,
      });
      if (state === 'failed' || state === 'disconnected') {
        // ICE restart on failure (the socket may still be fine).
        this.request<types.IceParameters>('restartIce', { transportId: transport.id })
          .then((iceParameters) => transport.restartIce({ iceParameters }))
          .catch(() => undefined);
      }
    });
    return transport;
  }

  /** stopTracks: false — the same camera/mic tracks are produced again after a rejoin. */
  private async produce(track: MediaStreamTrack): Promise<void> {
    const transport = this.sendTransport!;
    if (track.kind === 'audio') {
      const p = await transport.produce({
        track,
        stopTracks: false,
        codecOptions: { opusStereo: false, opusDtx: true, opusFec: true },
        appData: { source: 'mic' },
      });
      this.producers.set('mic', p);
      return;
    }
    const codec = this.opts?.videoCodec
      ? this.device!.rtpCapabilities.codecs?.find(
          (c) => c.mimeType.toLowerCase() === this.opts!.videoCodec!.toLowerCase(),
        )
      : undefined;
    const encodings =
      this.opts?.simulcast === false
        ? undefined
        : [
            { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
            { scaleResolutionDownBy: 2, maxBitrate: 400_000 },
            { scaleResolutionDownBy: 1, maxBitrate: 1_000_000 },
          ];
    const p = await transport.produce({
      track,
      stopTracks: false,
      encodings,
      codec,
      codecOptions: { videoGoogleStartBitrate: 1000 },
      appData: { source: 'camera' },
    });
    this.producers.set('camera', p);
  }

  async consume(info: ProducerInfo): Promise<void> {
    if (!this.recvTransport || !this.device) return;
    // One consumer per producer: the join answer and a newProducer event may name the same one.
    if (
      this.inFlight.has(info.id) ||
      [...this.consumers.values()].some((c) => c.producerId === info.id && !c.closed)
    )
      return;
    this.inFlight.add(info.id);
    try {
      await this.doConsume(info);
    } finally {
      this.inFlight.delete(info.id);
    }
  }

  private async doConsume(info: ProducerInfo): Promise<void> {
    if (!this.recvTransport || !this.device) return;
    const res = await this.request<{
      id: string;
      producerId: string;
      kind: 'audio' | 'video';
      rtpParameters: types.RtpParameters;
      peerId: string;
    }>('consume', {
      transportId: this.recvTransport.id,
      producerId: info.id,
      rtpCapabilities: this.device.rtpCapabilities,
    });
    const consumer = await this.recvTransport.consume({
      id: res.id,
      producerId: res.producerId,
      kind: res.kind,
      rtpParameters: res.rtpParameters,
    });
    const entry: ConsumerEntry = {
      consumer,
      peerId: info.peerId,
      producerId: info.id,
      source: info.appData?.source,
      closed: false,
    };
    // Attach to a media element so Chromium decodes it (as the real app would render it).
    const el = document.createElement(res.kind === 'video' ? 'video' : 'audio');
    el.autoplay = true;
    el.muted = true;
    (el as HTMLVideoElement).playsInline = true;
    el.srcObject = new MediaStream([consumer.track]);
    document.body.appendChild(el);
    void el.play().catch(() => undefined);
    entry.element = el;
    this.consumers.set(consumer.id, entry);
    // Created paused on the server: resume once the client side is ready.
    await this.request('resumeConsumer', { consumerId: consumer.id });
  }

  private closeConsumer(entry: ConsumerEntry): void {
    entry.closed = true;
    entry.consumer.close();
    entry.element?.remove();
  }

  private async onEvent(event: string, data: Record<string, unknown>): Promise<void> {
    if (event === 'newProducer' && !this.recvTransport) {
      this.pending.push(data as unknown as ProducerInfo);
    } else if (event === 'newProducer' && this.device) {
      await this.consume(data as unknown as ProducerInfo).catch((e) =>
        this.events.push({ at: Date.now(), event: 'consumeError', data: String(e) }),
      );
    } else if (event === 'consumerClosed') {
      const entry = this.consumers.get(data.consumerId as string);
      if (entry) this.closeConsumer(entry);
    } else if (event === 'producerClosed') {
      for (const entry of this.consumers.values())
        if (entry.producerId === data.producerId && !entry.closed) this.closeConsumer(entry);
    } else if (event === 'rejoin') {
      await this.runJoin().catch((e) =>
        this.events.push({ at: Date.now(), event: 'rejoinError', data: String(e) }),
      );
    }
  }

  private teardownMedia(): void {
    for (const entry of this.consumers.values()) if (!entry.closed) this.closeConsumer(entry);
    this.consumers.clear();
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = undefined;
    this.recvTransport = undefined;
  }

  /** Per transport: its connection state and the local candidate type of the selected pair. */
  async paths(): Promise<{ direction: string; state: string; localCandidate?: string }[]> {
    const out = [];
    for (const [direction, t] of [
      ['send', this.sendTransport],
      ['recv', this.recvTransport],
    ] as const) {
      if (!t) continue;
      const report = await t.getStats();
      let localCandidate: string | undefined;
      report.forEach((r) => {
        if (r.type === 'transport' && r.selectedCandidatePairId) {
          const pair = report.get(r.selectedCandidatePairId);
          localCandidate = report.get(pair?.localCandidateId)?.candidateType;
        }
      });
      out.push({ direction, state: t.connectionState, localCandidate });
    }
    return out;
  }

  async stats(): Promise<ConsumerStats[]> {
    const out: ConsumerStats[] = [];
    for (const [id, entry] of this.consumers) {
      const s: ConsumerStats = {
        id,
        producerId: entry.producerId,
        peerId: entry.peerId,
        kind: entry.consumer.kind,
        source: entry.source,
        closed: entry.closed || entry.consumer.closed,
        framesDecoded: 0,
        frameWidth: 0,
        packetsReceived: 0,
        bytesReceived: 0,
        concealedSamples: 0,
      };
      if (!s.closed) {
        const report = await entry.consumer.getStats();
        report.forEach((r: Record<string, number | string>) => {
          if (r.type !== 'inbound-rtp') return;
          s.framesDecoded += Number(r.framesDecoded ?? 0);
          s.frameWidth = Math.max(s.frameWidth, Number(r.frameWidth ?? 0));
          s.packetsReceived += Number(r.packetsReceived ?? 0);
          s.bytesReceived += Number(r.bytesReceived ?? 0);
          s.concealedSamples += Number(r.concealedSamples ?? 0);
        });
      }
      out.push(s);
    }
    return out;
  }

  /**
   * Screen share as its own producer (source "screen"). Headless Chromium cannot pick a screen,
   * so an animated canvas stands in for getDisplayMedia().
   */
  async shareScreen(): Promise<string> {
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const ctx = canvas.getContext('2d')!;
    let n = 0;
    setInterval(() => {
      ctx.fillStyle = `hsl(${(n += 7) % 360} 60% 50%)`;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.fillStyle = '#fff';
      ctx.font = '64px sans-serif';
      ctx.fillText(`X-quang ngực ${n}`, 100, 300);
    }, 66);
    const track = canvas.captureStream(15).getVideoTracks()[0]!;
    const producer = await this.sendTransport!.produce({
      track,
      stopTracks: false,
      appData: { source: 'screen' },
    });
    this.producers.set('screen', producer);
    return producer.id;
  }

  /** ICE restart of both transports, as on a network change. */
  async restartIce(): Promise<void> {
    for (const t of [this.sendTransport, this.recvTransport]) {
      if (!t) continue;
      const iceParameters = await this.request<types.IceParameters>('restartIce', {
        transportId: t.id,
      });
      await t.restartIce({ iceParameters });
    }
  }

  producerCodecs(): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const [source, p] of this.producers) out[source] = p.rtpParameters.codecs[0]?.mimeType;
    return out;
  }

  canSend(mimeType: string): boolean {
    return !!this.device?.rtpCapabilities.codecs?.some(
      (c) => c.mimeType.toLowerCase() === mimeType.toLowerCase(),
    );
  }

  setPreferredLayers(spatialLayer: number, temporalLayer?: number): Promise<unknown> {
    const videos = [...this.consumers.entries()].filter(
      ([, e]) => !e.closed && e.consumer.kind === 'video',
    );
    return Promise.all(
      videos.map(([id]) =>
        this.request('setPreferredLayers', { consumerId: id, spatialLayer, temporalLayer }),
      ),
    );
  }

  /** Pause or resume one of our producers (client side and on the SFU). */
  async setProducerPaused(source: string, paused: boolean): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) throw new Error(`no ${source} producer`);
    if (paused) producer.pause();
    else producer.resume();
    await this.request(paused ? 'pauseProducer' : 'resumeProducer', { producerId: producer.id });
  }

  setAudioOnly(enabled: boolean): Promise<unknown> {
    return this.request('setAudioOnly', { enabled });
  }

  async leave(): Promise<void> {
    await this.request('leave').catch(() => undefined);
    this.teardownMedia();
    this.socket?.close();
  }

  /** This client's own view of its media, to compare with the SFU's `resume` answer. */
  mediaIds(): { send?: string; recv?: string; consumers: string[]; socketId?: string } {
    return {
      send: this.sendTransport?.id,
      recv: this.recvTransport?.id,
      consumers: [...this.consumers.entries()].filter(([, e]) => !e.closed).map(([id]) => id),
      socketId: this.socket?.id,
    };
  }

  /** Drop the socket without leaving (simulates a network blip); socket.io reconnects by itself. */
  dropSocket(): void {
    (this.socket?.io.engine as unknown as { close(): void } | undefined)?.close();
  }
}

(window as unknown as { participant: Participant }).participant = new Participant();
