import type { EventEmitter } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { RecordingStateEvent, RecordingTrack, SignallingEventName } from '@caunoi/shared';
import type { ProducerAppData } from '../media/peer-media';
import type { TransportFactory } from '../media/transport-factory';
import type { Peer } from '../rooms/peer';
import type { RecordingDelivery } from './recording-delivery';
import { muxTracks } from './ffmpeg';
import { TrackRecorder, type TrackFile } from './track-recorder';

/** What a recorder needs of a room (Room implements it). */
export interface RecordedRoom {
  readonly id: string;
  readonly closed: boolean;
  /** Emits `producer` (peer, producer) for every new producer and `close` when the room closes. */
  readonly observer: EventEmitter;
  recording: RecordingStateEvent;
  primaryRouter(): Promise<types.Router>;
  pipeTo(producer: types.Producer, router: types.Router): Promise<void>;
  allProducers(): Array<{ peer: Peer; producer: types.Producer<ProducerAppData> }>;
  broadcast(event: SignallingEventName, data: unknown): void;
}

export type RecorderState = 'recording' | 'stopping' | 'delivered' | 'failed';

/**
 * The recorder of one room: one TrackRecorder per audio or video producer, added as producers
 * come and ended as they go; at stop every track file is muxed into one Matroska file (each at
 * its start offset) and delivered to the API with the timing map. An ffmpeg that dies marks the
 * whole recording failed; the room never notices beyond the `recordingState` event.
 */
export class RoomRecorder {
  state: RecorderState = 'recording';
  readonly startedAt = new Date();
  private readonly tracks = new Map<string, { rec: TrackRecorder; ready: Promise<void> }>();
  private readonly ended: Array<Promise<TrackFile | null>> = [];
  private nextIndex = 0;
  readonly dir: string;
  private done?: Promise<void>;
  private readonly onProducer = (peer: Peer, producer: types.Producer<ProducerAppData>) =>
    this.addTrack(peer, producer);
  private readonly onClose = () => void this.stop();

  constructor(
    private readonly room: RecordedRoom,
    readonly recordingId: string,
    private readonly factory: TransportFactory,
    private readonly opts: { dir: string; ffmpegPath: string },
    private readonly delivery: RecordingDelivery,
    private readonly log: Logger,
    private readonly finished: (r: RoomRecorder) => void,
  ) {
    this.dir = path.join(opts.dir, recordingId);
  }

  /** ffmpeg process ids of the tracks being recorded (operations and fault tests). */
  get pids(): number[] {
    return [...this.tracks.values()].flatMap((t) =>
      t.rec.running && t.rec.pid ? [t.rec.pid] : [],
    );
  }

  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.room.observer.on('producer', this.onProducer);
    this.room.observer.once('close', this.onClose);
    this.announce({ recording: true, since: this.startedAt.toISOString() });
    for (const { peer, producer } of this.room.allProducers()) this.addTrack(peer, producer);
    this.log.info({ room: this.room.id, recording: this.recordingId }, 'recording started');
  }

  private addTrack(peer: Peer, producer: types.Producer<ProducerAppData>): void {
    if (this.state !== 'recording' || producer.closed) return;
    const rec = new TrackRecorder(
      {
        index: this.nextIndex++,
        producerId: producer.id,
        kind: producer.kind,
        source: producer.appData.source,
        displayName: peer.displayName,
        site: peer.facility.name,
      },
      this.dir,
      this.opts.ffmpegPath,
      this.log,
      (t, reason) => this.fail(reason, t),
      (t) => this.endTrack(t),
    );
    const ready = (async () => {
      const router = await this.room.primaryRouter();
      await this.room.pipeTo(producer, router);
      await rec.start(router, this.factory, producer);
    })().catch((err: Error) => {
      // A producer that closed meanwhile is no failure; anything else is.
      if (producer.closed || this.room.closed) return;
      this.fail(`track ${rec.info.index} could not start: ${err.message}`, rec);
    });
    this.tracks.set(producer.id, { rec, ready });
  }

  private endTrack(t: TrackRecorder): void {
    const entry = this.tracks.get(t.info.producerId);
    if (!entry || this.state !== 'recording') return;
    this.tracks.delete(t.info.producerId);
    this.ended.push(entry.ready.then(() => t.stop(this.startedAt.getTime())));
  }

  /** Stop, mux and deliver; resolves when delivered (or failed). Idempotent. */
  stop(): Promise<void> {
    this.done ??= this.finish();
    return this.done;
  }

  private async finish(): Promise<void> {
    if (this.state !== 'recording') return;
    this.state = 'stopping';
    this.detach();
    const stopMs = Date.now();
    const live = [...this.tracks.values()];
    this.tracks.clear();
    const files = (
      await Promise.all([
        ...this.ended,
        ...live.map((t) => t.ready.then(() => t.rec.stop(this.startedAt.getTime()))),
      ])
    )
      .filter((f): f is TrackFile => !!f)
      .sort((a, b) => a.index - b.index);
    this.announce({ recording: false });
    try {
      if (!files.length) throw new Error('no track carried any media');
      const sessionFile = path.join(this.dir, 'session.mkv');
      await muxTracks(this.opts.ffmpegPath, files, sessionFile);
      const durationSeconds = Math.max(
        (stopMs - this.startedAt.getTime()) / 1000,
        ...files.map((f) => f.endOffset),
      );
      await this.delivery.deliver(this.recordingId, sessionFile, files, durationSeconds);
      this.state = 'delivered';
      await rm(this.dir, { recursive: true, force: true });
      this.log.info({ recording: this.recordingId, tracks: files.length }, 'recording delivered');
    } catch (err) {
      this.state = 'failed';
      this.log.error(
        { recording: this.recordingId, err: (err as Error).message },
        'recording failed',
      );
      await this.delivery.failed(this.recordingId, (err as Error).message);
    } finally {
      this.finished(this);
    }
  }

  /** The recorder broke (ffmpeg died, a track could not start): everything stops, reported. */
  fail(reason: string, track?: TrackRecorder): void {
    // While stopping, a track that fails only misses from the file; the others are delivered.
    if (this.state !== 'recording') return;
    this.state = 'failed';
    this.detach();
    this.log.error({ recording: this.recordingId, track: track?.info, reason }, 'recording failed');
    for (const t of this.tracks.values()) t.rec.abort();
    this.tracks.clear();
    this.announce({ recording: false });
    this.done ??= (async () => {
      await this.delivery.failed(this.recordingId, reason.slice(0, 500));
      await rm(this.dir, { recursive: true, force: true });
      this.finished(this);
    })();
  }

  private detach(): void {
    this.room.observer.off('producer', this.onProducer);
    this.room.observer.off('close', this.onClose);
  }

  private announce(state: RecordingStateEvent): void {
    this.room.recording = state;
    if (!this.room.closed) this.room.broadcast('recordingState', state);
  }

  /** The timing map entry of a delivered track. */
  static timing(f: TrackFile, stored: { sha256: string; sizeBytes: number }): RecordingTrack {
    return {
      index: f.index,
      trackId: f.producerId,
      kind: f.kind,
      source: f.source,
      displayName: f.displayName,
      site: f.site,
      startOffset: Math.round(f.startOffset * 1000) / 1000,
      endOffset: Math.round(f.endOffset * 1000) / 1000,
      codec: f.codec,
      fileName: f.fileName,
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      mediaType: f.mediaType,
    };
  }
}
