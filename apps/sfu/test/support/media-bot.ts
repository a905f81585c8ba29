import { randomFillSync } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { nodeWebRTC } from '@caunoi/test-support';

// A WebRTC site in Node: mediasoup-client on @roamhq/wrtc (real ICE, DTLS, SRTP and a libvpx
// decoder), far lighter than one Chromium page per site, so one test can hold 20–50 sites.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrtc = nodeWebRTC(require('@roamhq/wrtc'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Device } = require('mediasoup-client') as typeof import('mediasoup-client');
type Transport = import('mediasoup-client').types.Transport;
type Producer = import('mediasoup-client').types.Producer;

interface Ack<T> {
  ok: boolean;
  data: T;
  error?: { code: string; message: string };
}

export class AckError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What one receiver got of one remote video: decoded frames, and whether it is still open. */
export interface VideoIn {
  producerId: string;
  peerId: string;
  frames: number;
  closed: boolean;
}

/**
 * One site: joins over the real signalling, consumes every producer it is told about (as the web
 * client does) and counts the frames it decodes per remote video; it may send a synthetic video
 * (`sendVideo`), which a training room refuses unless the site presents or holds the floor.
 */
export class MediaBot {
  readonly videos = new Map<string, VideoIn>();
  readonly events: Array<{ event: string; data: any }> = [];
  peerId = '';
  joinAnswer: any;
  private readonly socket: Socket;
  private device?: InstanceType<typeof Device>;
  private send?: Transport;
  private recv?: Transport;
  private readonly sinks: Array<{ stop(): void }> = [];
  private readonly sources: Array<{ track: { stop(): void }; timer: NodeJS.Timeout }> = [];
  private readonly producers = new Map<string, Producer>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(url: string, token: string, auth: Record<string, unknown> = {}) {
    this.socket = io(url, {
      auth: { token, ...auth },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.socket.onAny((event: string, data: unknown) => this.events.push({ event, data }));
    this.socket.on('newProducer', (p: { id: string; peerId: string }) => this.enqueue(p));
    this.socket.on('consumerClosed', ({ producerId }: { producerId: string }) => {
      const v = this.videos.get(producerId);
      if (v) v.closed = true;
    });
  }

  static async join(url: string, token: string): Promise<MediaBot> {
    const bot = new MediaBot(url, token);
    await new Promise<void>((resolve, reject) => {
      bot.socket.once('connect', () => resolve());
      bot.socket.once('connect_error', reject);
    });
    const caps = await bot.ask<object>('getRouterRtpCapabilities');
    bot.device = new Device({ handlerName: 'Chrome111' });
    await bot.device.load({ routerRtpCapabilities: caps as never });
    bot.joinAnswer = await bot.ask('join', { rtpCapabilities: bot.device.rtpCapabilities });
    bot.peerId = bot.joinAnswer.peerId;
    bot.recv = await bot.transport('recv');
    for (const p of bot.joinAnswer.producers) bot.enqueue(p);
    await bot.queue;
    return bot;
  }

  /**
   * The web client's way in: the router's capabilities come with the connection (no request),
   * one `join` opens both transports and hands over a consumer per producer; the bot resumes
   * only the videos. Nothing else is asked before the first media arrives.
   */
  static async joinInOneTrip(url: string, token: string): Promise<MediaBot> {
    const bot = new MediaBot(url, token, { capabilities: true });
    const caps = await new Promise<object>((resolve, reject) => {
      bot.socket.once('routerRtpCapabilities', resolve);
      bot.socket.once('connect_error', reject);
    });
    bot.device = new Device({ handlerName: 'Chrome111' });
    await bot.device.load({ routerRtpCapabilities: caps as never });
    bot.joinAnswer = await bot.ask('join', {
      rtpCapabilities: bot.device.rtpCapabilities,
      transports: { send: true, recv: true },
      consume: true,
    });
    bot.peerId = bot.joinAnswer.peerId;
    bot.recv = bot.wire('recv', bot.joinAnswer.transports.recv);
    bot.send = bot.wire('send', bot.joinAnswer.transports.send);
    for (const c of bot.joinAnswer.consumers) {
      const p = bot.joinAnswer.producers.find((x: { id: string }) => x.id === c.producerId);
      await bot.adopt(c, p.peerId, c.paused);
    }
    return bot;
  }

  /** Requests this bot made, in order (every `ask`). */
  readonly asked: string[] = [];

  ask<T = any>(name: string, data: unknown = {}): Promise<T> {
    this.asked.push(name);
    return new Promise((resolve, reject) =>
      this.socket
        .timeout(15_000)
        .emit(name, data, (err: Error | null, ack: Ack<T>) =>
          err
            ? reject(err)
            : ack?.ok
              ? resolve(ack.data)
              : reject(new AckError(ack?.error?.code ?? '?', `${name}: ${ack?.error?.message}`)),
        ),
    );
  }

  /** Latest `trainingState` seen (or the join answer's). */
  get training(): any {
    const last = [...this.events].reverse().find((e) => e.event === 'trainingState');
    return last?.data ?? this.joinAnswer?.training;
  }

  /** Remote videos that decoded a frame since `before` (a snapshot of frame counts). */
  flowingSince(before: Map<string, number>): VideoIn[] {
    return [...this.videos.values()].filter(
      (v) => !v.closed && v.frames > (before.get(v.producerId) ?? 0),
    );
  }

  frameSnapshot(): Map<string, number> {
    return new Map([...this.videos.values()].map((v) => [v.producerId, v.frames]));
  }

  /** Send a synthetic 320x240 video at 15 fps as `source`; rejects with the SFU's refusal. */
  async sendVideo(source: 'camera' | 'screen'): Promise<string> {
    this.send ??= await this.transport('send');
    const W = 320;
    const H = 240;
    const videoSource = new wrtc.nonstandard.RTCVideoSource();
    const track = videoSource.createTrack();
    const frame = new Uint8ClampedArray(W * H * 1.5);
    let tick = 0;
    const timer = setInterval(() => {
      // Moving content and a band of noise, so the encoder spends bits as on a real camera.
      frame.fill(tick++ % 256, 0, (W * H) / 2);
      randomFillSync(frame, (W * H) / 2, W * 24);
      videoSource.onFrame({ width: W, height: H, data: frame });
    }, 66);
    this.sources.push({ track, timer });
    const producer = await this.send.produce({ track, stopTracks: false, appData: { source } });
    this.producers.set(source, producer);
    return producer.id;
  }

  private enqueue(p: { id: string; peerId: string }): void {
    this.queue = this.queue.then(() => this.consume(p)).catch(() => undefined);
  }

  private async transport(direction: 'send' | 'recv'): Promise<Transport> {
    const info = await this.ask<Record<string, never>>('createTransport', { direction });
    return this.wire(direction, info);
  }

  private wire(direction: 'send' | 'recv', info: Record<string, never>): Transport {
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
    if (!this.recv || p.peerId === this.peerId) return;
    const c = await this.ask('consume', {
      transportId: this.recv.id,
      producerId: p.id,
      rtpCapabilities: this.device!.rtpCapabilities,
    });
    await this.adopt(c, p.peerId, true);
  }

  private async adopt(c: any, peerId: string, resume: boolean): Promise<void> {
    const consumer = await this.recv!.consume(c);
    if (resume) await this.ask('resumeConsumer', { consumerId: c.id });
    if (c.kind !== 'video') return;
    const p = { id: c.producerId as string, peerId };
    const v: VideoIn = { producerId: p.id, peerId: p.peerId, frames: 0, closed: false };
    this.videos.set(p.id, v);
    const sink = new wrtc.nonstandard.RTCVideoSink(consumer.track);
    sink.onframe = () => v.frames++;
    this.sinks.push(sink);
  }

  close(): void {
    for (const s of this.sinks.splice(0)) s.stop();
    for (const s of this.sources.splice(0)) {
      clearInterval(s.timer);
      s.track.stop();
    }
    this.send?.close();
    this.recv?.close();
    this.socket.close();
  }
}
