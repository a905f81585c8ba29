// A WebRTC participant in Node: mediasoup-client on @roamhq/wrtc (as the golden path's bot),
// sending a synthetic 320x240 video at 20 fps and counting the frames it decodes from the others.
// It behaves as the web client does after a fault: on `rejoin` (a worker died) it runs the join
// flow again on the same socket, and when the SFU itself goes away it reconnects and joins afresh.
import { randomUUID } from 'crypto';
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import { nodeWebRTC } from '@caunoi/test-support';
import { JOIN_TOKEN_ALGORITHM, JOIN_TOKEN_AUDIENCE, JOIN_TOKEN_ISSUER } from '@caunoi/shared';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrtc = nodeWebRTC(require('@roamhq/wrtc'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Device } = require('mediasoup-client') as typeof import('mediasoup-client');
type Transport = import('mediasoup-client').types.Transport;

/** A join token as the API signs it (same key: the launcher's generated secrets). */
export function joinToken(privateKey: string, sid: string, name: string): string {
  return jwt.sign(
    {
      sid,
      sub: randomUUID(),
      name,
      role: 'specialist',
      facility: { id: randomUUID(), name: 'Bệnh viện Thử' },
      moderator: false,
    },
    privateKey,
    {
      algorithm: JOIN_TOKEN_ALGORITHM as jwt.Algorithm,
      issuer: JOIN_TOKEN_ISSUER,
      audience: JOIN_TOKEN_AUDIENCE,
      expiresIn: 600,
    },
  );
}

interface Ack<T> {
  ok: boolean;
  data: T;
  error?: { code: string; message: string };
}

/** A fresh join from the API: where the session's room is now, and a token for it. */
export type Rejoin = () => Promise<{ sfuUrl: string; token: string }>;

export class MediaPeer {
  /** Decoded frames from the other participants, and when the last one arrived. */
  frames = 0;
  lastFrameAt = 0;
  /** When the first frame arrived since the join flow last started (0: none yet). */
  firstFrameSinceJoinAt = 0;
  joins = 0;
  errors: string[] = [];
  private socket: Socket;
  private source = new wrtc.nonstandard.RTCVideoSource();
  private track = this.source.createTrack();
  private pump: NodeJS.Timeout;
  private transports: Transport[] = [];
  private sinks: { stop(): void }[] = [];
  private generation = 0;
  private recv?: Transport;
  private device?: InstanceType<typeof Device>;
  private peerId?: string;
  /** Producers announced while the receive side was being (re)built, and those consumed. */
  private announced: { id: string; peerId: string }[] = [];
  private consumed = new Set<string>();

  /**
   * With `rejoin` (several SFU nodes) the peer behaves as the web client: before each
   * reconnection attempt it asks the API for a fresh join and follows the session to the node the
   * answer names.
   */
  constructor(
    url: string,
    token: string,
    readonly name: string,
    rejoin?: Rejoin,
  ) {
    const W = 320,
      H = 240;
    const frame = new Uint8ClampedArray(W * H * 1.5);
    let tick = 0;
    this.pump = setInterval(() => {
      frame.fill(tick++ % 256, 0, W * H);
      this.source.onFrame({ width: W, height: H, data: frame });
    }, 50);
    this.socket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
      auth: rejoin ? (cb) => cb({ token: this.token }) : { token },
    });
    this.token = token;
    if (rejoin) this.followPlacement(rejoin);
    this.socket.on('connect', () => void this.join());
    this.socket.on('rejoin', () => void this.join());
    this.socket.on('newProducer', (p: { id: string; peerId: string }) => void this.consume(p));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  private token: string;
  private get manager() {
    return this.socket.io as unknown as { uri: string };
  }

  /** The SFU signalling URL the peer connects to (changes when it follows its session). */
  get url(): string {
    return this.manager.uri;
  }

  private followPlacement(rejoin: Rejoin): void {
    let asking = false;
    this.socket.io.on('reconnect_attempt', () => {
      if (asking) return;
      asking = true;
      rejoin()
        .then((j) => {
          this.token = j.token;
          this.manager.uri = j.sfuUrl;
        })
        .catch((err) => this.errors.push(`rejoin: ${(err as Error).message}`))
        .finally(() => (asking = false));
    });
  }

  private ask<T>(name: string, data: unknown = {}): Promise<T> {
    return new Promise((resolve, reject) =>
      this.socket
        .timeout(10_000)
        .emit(name, data, (err: Error | null, ack: Ack<T>) =>
          err
            ? reject(err)
            : ack?.ok
              ? resolve(ack.data)
              : reject(new Error(`${name}: ${ack?.error?.code} ${ack?.error?.message}`)),
        ),
    );
  }

  private dropMedia(): void {
    for (const s of this.sinks.splice(0)) s.stop();
    for (const t of this.transports.splice(0)) t.close();
    this.recv = undefined;
    this.consumed.clear();
  }

  /** The join flow from scratch: device, join, send transport + camera, consume the others. */
  private async join(): Promise<void> {
    const gen = ++this.generation;
    this.dropMedia();
    this.announced = [];
    this.firstFrameSinceJoinAt = 0;
    try {
      const caps = await this.ask<object>('getRouterRtpCapabilities');
      const device = new Device({ handlerName: 'Chrome111' });
      await device.load({ routerRtpCapabilities: caps as never });
      const joined = await this.ask<{
        peerId: string;
        producers: { id: string; peerId: string }[];
      }>('join', { displayName: this.name, rtpCapabilities: device.rtpCapabilities });
      if (gen !== this.generation) return;
      this.device = device;
      this.peerId = joined.peerId;
      const send = await this.transport('send');
      await send.produce({ track: this.track, stopTracks: false, appData: { source: 'camera' } });
      this.recv = await this.transport('recv');
      for (const p of [...joined.producers, ...this.announced.splice(0)]) await this.consume(p);
      this.joins++;
    } catch (err) {
      this.errors.push(`join: ${(err as Error).message}`);
    }
  }

  private async transport(direction: 'send' | 'recv'): Promise<Transport> {
    const info = await this.ask<Record<string, never>>('createTransport', { direction });
    const params = {
      id: info.id,
      iceParameters: info.iceParameters,
      iceCandidates: info.iceCandidates,
      dtlsParameters: info.dtlsParameters,
    };
    const t =
      direction === 'send'
        ? this.device!.createSendTransport(params)
        : this.device!.createRecvTransport(params);
    this.transports.push(t);
    t.on('connect', ({ dtlsParameters }, cb, eb) =>
      this.ask('connectTransport', { transportId: t.id, dtlsParameters }).then(() => cb(), eb),
    );
    t.on('produce', ({ kind, rtpParameters, appData }, cb, eb) =>
      this.ask<{ id: string }>('produce', { transportId: t.id, kind, rtpParameters, appData }).then(
        (d) => cb({ id: d.id }),
        eb,
      ),
    );
    return t;
  }

  private async consume(p: { id: string; peerId: string }): Promise<void> {
    const recv = this.recv;
    if (!recv || !this.device) {
      this.announced.push(p);
      return;
    }
    if (p.peerId === this.peerId || this.consumed.has(p.id)) return;
    this.consumed.add(p.id);
    try {
      const c = await this.ask<{
        id: string;
        producerId: string;
        kind: 'video' | 'audio';
        rtpParameters: never;
      }>('consume', {
        transportId: recv.id,
        producerId: p.id,
        rtpCapabilities: this.device.rtpCapabilities,
      });
      const consumer = await recv.consume(c);
      await this.ask('resumeConsumer', { consumerId: c.id });
      if (c.kind !== 'video') return;
      const sink = new wrtc.nonstandard.RTCVideoSink(consumer.track);
      sink.onframe = () => {
        this.frames++;
        this.lastFrameAt = Date.now();
        this.firstFrameSinceJoinAt ||= this.lastFrameAt;
      };
      this.sinks.push(sink);
    } catch (err) {
      this.errors.push(`consume: ${(err as Error).message}`);
    }
  }

  close(): void {
    clearInterval(this.pump);
    this.dropMedia();
    this.track.stop();
    this.socket.close();
  }
}
