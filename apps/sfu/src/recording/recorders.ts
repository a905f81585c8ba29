import type { Logger } from 'pino';
import { SfuError } from '../errors';
import type { TransportFactory } from '../media/transport-factory';
import type { RoomManager } from '../rooms/room-manager';
import type { RecordingDelivery } from './recording-delivery';
import { RoomRecorder } from './room-recorder';

/**
 * The recorders of this SFU, one per recorded room, driven by the API's commands. A room is
 * recorded by one recording at a time; stopping answers at once and the files follow.
 */
export class Recorders {
  readonly active = new Map<string, RoomRecorder>();

  constructor(
    private readonly rooms: RoomManager,
    private readonly factory: TransportFactory,
    private readonly opts: { dir: string; ffmpegPath: string },
    private readonly delivery: RecordingDelivery,
    private readonly log: Logger,
  ) {}

  /** 404 without a room with people in it; the same recording again is a no-op; another: 409. */
  async start(sessionId: string, recordingId: string): Promise<void> {
    const room = this.rooms.get(sessionId);
    if (!room || room.closed || room.peers.size === 0)
      throw new SfuError('not_found', 'no open room for this session');
    const current = this.active.get(sessionId);
    if (current?.recordingId === recordingId) return;
    if (current && current.state === 'recording')
      throw new SfuError('conflict', 'this room is already being recorded');
    const recorder = new RoomRecorder(
      room,
      recordingId,
      this.factory,
      this.opts,
      this.delivery,
      this.log.child({ recording: recordingId }),
      (r) => {
        if (this.active.get(sessionId) === r) this.active.delete(sessionId);
      },
    );
    this.active.set(sessionId, recorder);
    await recorder.start();
  }

  /** 404 unless this recording is the room's; the files are delivered in the background. */
  stop(sessionId: string, recordingId: string): void {
    const recorder = this.active.get(sessionId);
    if (!recorder || recorder.recordingId !== recordingId)
      throw new SfuError('not_found', 'this recording is not in progress here');
    void recorder.stop();
  }

  /** Shutdown: every recording stops and is delivered (bounded by the caller). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.active.values()].map((r) => r.stop()));
  }
}
