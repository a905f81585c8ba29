import type { types } from 'mediasoup';
import { SfuError } from '../errors';
import { lowerLayers } from './layer-governor';
import type { ConsumerAppData } from './peer-media';

type Consumer = types.Consumer<ConsumerAppData>;

/**
 * Whether each of a peer's video consumers flows. Four parties may stop one, and each keeps its
 * own reason so that lifting one never undoes another: the client (`pauseConsumer`, its flag
 * `clientPaused`), audio-only mode (`hold`), a training room's last-N (`gate`) and the SFU's
 * governor (`governorPaused`, set and lifted by LayerGovernor). A video is resumed only when none
 * of them holds it.
 */
export class VideoFlow {
  /** Which producers' videos may flow to this peer (a training room's last-N); all when unset. */
  private videoGate?: (producerId: string) => boolean;
  /** Audio-only mode: every video held. */
  private allVideoHeld = false;

  constructor(private readonly consumers: Map<string, Consumer>) {}

  /** Last-N lets this video through. */
  allowed(c: Consumer): boolean {
    return !this.videoGate || this.videoGate(c.producerId);
  }

  /** The video would flow but for the governor: the client resumed it, no audio-only, last-N. */
  wanted(c: Consumer): boolean {
    return !c.appData.clientPaused && !this.allVideoHeld && this.allowed(c);
  }

  /** The client resumed a consumer; video stays paused while `holdVideo` (audio-only mode) or
   * while the room's last-N leaves it out. */
  async resume(consumer: Consumer, holdVideo: boolean): Promise<{ paused: boolean }> {
    consumer.appData.clientPaused = false;
    // Held by the governor: it releases the video (and tells the client) when the line allows.
    if (
      consumer.kind === 'video' &&
      (holdVideo || !this.allowed(consumer) || consumer.appData.governorPaused)
    )
      return { paused: true };
    await consumer.resume();
    if (consumer.kind === 'video') await consumer.requestKeyFrame().catch(() => undefined);
    return { paused: false };
  }

  async pause(consumer: Consumer): Promise<void> {
    consumer.appData.clientPaused = true;
    await consumer.pause();
  }

  async setPreferredLayers(consumer: Consumer, spatialLayer: number, temporalLayer?: number) {
    if (consumer.kind !== 'video')
      throw new SfuError('invalid_message', 'preferred layers apply to video consumers only');
    // The governor's cap (the estimate minus the voices) still applies.
    consumer.appData.clientLayers = { spatialLayer, temporalLayer };
    const governed = consumer.appData.governed;
    await consumer.setPreferredLayers(
      governed && !governed.paused
        ? lowerLayers(consumer.appData.clientLayers, governed)
        : { spatialLayer, temporalLayer },
    );
  }

  /** Hold (pause) every video consumer, or release the ones the client had resumed. */
  async hold(hold: boolean): Promise<number> {
    this.allVideoHeld = hold;
    const videos = [...this.consumers.values()].filter((c) => c.kind === 'video');
    await Promise.all(
      videos.map(async (c) => {
        if (hold || !this.allowed(c)) await c.pause();
        else if (!c.appData.clientPaused && !c.appData.governorPaused) {
          await c.resume();
          await c.requestKeyFrame().catch(() => undefined);
        }
      }),
    );
    return videos.length;
  }

  /** Set which videos may flow (last-N) and pause or resume the video consumers to match. */
  async gate(allowed: (producerId: string) => boolean, audioOnly: boolean): Promise<void> {
    this.videoGate = allowed;
    const videos = [...this.consumers.values()].filter((c) => c.kind === 'video' && !c.closed);
    await Promise.all(
      videos.map(async (c) => {
        const flow =
          !audioOnly &&
          !c.appData.clientPaused &&
          !c.appData.governorPaused &&
          allowed(c.producerId);
        if (!flow && !c.paused) await c.pause().catch(() => undefined);
        if (flow && c.paused) {
          await c.resume().catch(() => undefined);
          await c.requestKeyFrame().catch(() => undefined);
        }
      }),
    );
  }
}
