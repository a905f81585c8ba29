import type { ChildProcess } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { TransportFactory } from '../media/transport-factory';
import { createSocket, type Socket } from 'node:dgram';
import {
  containerFor,
  freeRtpPort,
  KEEPALIVE_MS,
  READ_TIMEOUT_S,
  recordRtp,
  RTCP_KEEPALIVE,
  sdpFor,
  waitForBound,
} from './ffmpeg';

export interface TrackInfo {
  index: number;
  producerId: string;
  kind: 'audio' | 'video';
  source: string;
  displayName: string;
  site: string;
}

/** A track that ended with a file. */
export interface TrackFile extends TrackInfo {
  path: string;
  fileName: string;
  mediaType: string;
  codec: string;
  startOffset: number;
  endOffset: number;
}

/** Keyframe requests after a video track starts: ffmpeg may still be probing the first. */
const KEYFRAME_RETRIES_MS = [0, 1_000, 3_000];

/**
 * One producer recorded: a PlainTransport (comedia off, RTCP mux) sending to a local ffmpeg that
 * copies the RTP into a file. Started paused, resumed once ffmpeg listens, a keyframe requested.
 * `onCrash` is called when ffmpeg dies without being asked to stop.
 */
export class TrackRecorder {
  private transport?: types.PlainTransport;
  private consumer?: types.Consumer;
  private ffmpeg?: ChildProcess;
  private exited?: Promise<number | null>;
  private stopping = false;
  private timers: NodeJS.Timeout[] = [];
  private keepalive?: { socket: Socket; timer: NodeJS.Timeout };
  private startedAtMs = 0;
  private endedAtMs?: number;
  private fileName = '';
  private mediaType = '';
  private codec = '';
  stderr = '';

  constructor(
    readonly info: TrackInfo,
    private readonly dir: string,
    private readonly ffmpegPath: string,
    private readonly log: Logger,
    private readonly onCrash: (track: TrackRecorder, reason: string) => void,
    private readonly onProducerClosed: (track: TrackRecorder) => void,
  ) {}

  get pid(): number | undefined {
    return this.ffmpeg?.pid;
  }

  get running(): boolean {
    return !!this.ffmpeg && this.endedAtMs === undefined;
  }

  async start(router: types.Router, factory: TransportFactory, producer: types.Producer) {
    const port = await freeRtpPort();
    this.transport = await factory.plain(router, {
      direction: 'recv',
      remote: { ip: '127.0.0.1', port },
      appData: { recorder: true },
    });
    // The codec only (no RTX, no header extensions): ffmpeg reads one payload type.
    const codecs = router.rtpCapabilities.codecs!.filter(
      (c) => c.kind === producer.kind && !/\/rtx$/i.test(c.mimeType),
    );
    this.consumer = await this.transport.consume({
      producerId: producer.id,
      rtpCapabilities: { codecs, headerExtensions: [] },
      paused: true,
    });
    this.consumer.on('producerclose', () => this.onProducerClosed(this));
    const codec = this.consumer.rtpParameters.codecs[0]!;
    const container = containerFor(codec.mimeType);
    this.codec = codec.mimeType;
    this.mediaType = container.mediaType;
    this.fileName = `track-${this.info.index}.${container.ext}`;
    const sdpPath = path.join(this.dir, `track-${this.info.index}.sdp`);
    await writeFile(sdpPath, sdpFor(this.consumer, port));
    this.ffmpeg = recordRtp(this.ffmpegPath, this.consumer.kind, sdpPath, this.filePath);
    this.exited = new Promise((resolve) => {
      this.ffmpeg!.once('exit', (code) => resolve(code));
      this.ffmpeg!.once('error', (err) => {
        this.stderr += err.message;
        resolve(-1);
      });
    });
    this.ffmpeg.stderr!.on(
      'data',
      (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-2000)),
    );
    void this.exited.then((code) => {
      if (this.stopping) return;
      this.endedAtMs ??= Date.now();
      this.onCrash(this, `ffmpeg of track ${this.info.index} exited (${code}) ${this.stderr}`);
    });
    if (!(await waitForBound(port))) throw new Error(`ffmpeg did not listen: ${this.stderr}`);
    const socket = createSocket('udp4');
    socket.on('error', () => undefined);
    this.keepalive = {
      socket,
      timer: setInterval(() => socket.send(RTCP_KEEPALIVE, port + 1, '127.0.0.1'), KEEPALIVE_MS),
    };
    await this.consumer.resume();
    this.startedAtMs = Date.now();
    if (this.consumer.kind === 'video')
      for (const ms of KEYFRAME_RETRIES_MS)
        this.timers.push(
          setTimeout(() => void this.consumer?.requestKeyFrame().catch(() => undefined), ms),
        );
    this.log.debug({ track: this.info, port, pid: this.ffmpeg.pid }, 'track recording');
  }

  get filePath(): string {
    return path.join(this.dir, this.fileName);
  }

  /**
   * Let ffmpeg finish the file. It notices SIGINT only when its read returns: on the next media
   * packet (the transport stays open until it exits), or, with no media coming (a paused
   * producer, a closed room), when the read times out once the keepalive has stopped. Killed
   * (the file lost) only if neither happens.
   */
  async stop(recordingStartMs: number): Promise<TrackFile | null> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    this.stopKeepalive();
    this.endedAtMs ??= Date.now();
    const proc = this.ffmpeg;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGINT');
      const kill = setTimeout(() => proc.kill('SIGKILL'), (READ_TIMEOUT_S + 4) * 1000);
      await this.exited;
      clearTimeout(kill);
    }
    this.transport?.close();
    if (!this.startedAtMs) return null;
    // No packet ever came (a paused producer): ffmpeg wrote nothing worth keeping.
    const size = await stat(this.filePath).then(
      (s) => s.size,
      () => 0,
    );
    if (size < 200) return null;
    return {
      ...this.info,
      path: this.filePath,
      fileName: this.fileName,
      mediaType: this.mediaType,
      codec: this.codec,
      startOffset: Math.max(0, (this.startedAtMs - recordingStartMs) / 1000),
      endOffset: Math.max(0, (this.endedAtMs - recordingStartMs) / 1000),
    };
  }

  /** Without finishing anything: the recording failed. */
  abort(): void {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    this.stopKeepalive();
    this.transport?.close();
    this.ffmpeg?.kill('SIGKILL');
  }

  private stopKeepalive(): void {
    if (!this.keepalive) return;
    clearInterval(this.keepalive.timer);
    this.keepalive.socket.close();
    this.keepalive = undefined;
  }
}
