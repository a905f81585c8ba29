import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import {
  chooseLayers,
  floorTarget,
  lineCapBps,
  type GovernedVideo,
  type KnownLine,
  type LayerChoice,
} from './layer-policy';
import { readLinkWindow, type LinkCounters } from './link-window';
import { NO_FLOOR, nextFloor, type FloorState } from './loss-floor';

/** What the governor keeps on a receive transport (in its appData). */
interface GovernedTransportData extends KnownLine {
  /** The round trip of the peer's line before any media (`join {lineRttMs}`), ms. */
  lineRttMs?: number;
  /** The floor under its estimate on random loss (loss-floor.ts) and the counters it reads. */
  lossFloor?: FloorState;
  linkCounters?: LinkCounters;
}

/** What the governor keeps on a video consumer (in its appData, next to PeerMedia's fields). */
export interface GovernedAppData {
  /** The receive transport it is on. */
  transportId?: string;
  /** Its producer's layers: bit rate per spatial layer, number of temporal layers. */
  spatialBps?: number[];
  temporalLayers?: number;
  /** The governor's last choice. */
  governed?: LayerChoice;
  /** Paused by the governor (not by the client, audio-only or last-N). */
  governorPaused?: boolean;
  /** The layers the client asked for with `setPreferredLayers` (none: the best). */
  clientLayers?: Layers;
}

export interface Layers {
  spatialLayer: number;
  temporalLayer?: number;
}

type GovernedConsumer = types.Consumer<types.AppData & GovernedAppData>;

/** Without a `maxBitrate` in the producer's encodings: what a camera layer typically costs. */
const DEFAULT_SPATIAL_BPS = [150_000, 500_000, 1_200_000];

/** The layers of a producer, as the governor prices them. */
export function producerLayers(producer: types.Producer): {
  spatialBps: number[];
  temporalLayers: number;
} {
  const encodings = producer.rtpParameters.encodings ?? [];
  const spatialBps = encodings.map(
    (e, i) => e.maxBitrate ?? DEFAULT_SPATIAL_BPS[Math.min(i, DEFAULT_SPATIAL_BPS.length - 1)]!,
  );
  const mode = /T(\d)/.exec(encodings[0]?.scalabilityMode ?? '');
  return {
    spatialBps: spatialBps.length ? spatialBps : [DEFAULT_SPATIAL_BPS[0]!],
    temporalLayers: mode ? Number(mode[1]) : 1,
  };
}

/** The lower of two layer choices (a missing temporal layer is the highest). */
export function lowerLayers(a: Layers | undefined, b: Layers): Layers {
  if (!a) return b;
  if (a.spatialLayer !== b.spatialLayer) return a.spatialLayer < b.spatialLayer ? a : b;
  return (a.temporalLayer ?? 99) <= (b.temporalLayer ?? 99) ? a : b;
}

export interface GovernorHost {
  transports(): Iterable<types.WebRtcTransport | types.PlainTransport>;
  consumers(): Iterable<GovernedConsumer>;
  /** The consumer would flow but for the governor (client, audio-only and last-N allow it). */
  wantsVideo(consumer: GovernedConsumer): boolean;
  /** The governor paused (true) or released (false) a video: the receiver is told. */
  held(consumer: GovernedConsumer, held: boolean): void;
}

/** How often each receive transport is governed: the client's link policy looks every 2 s. */
export const GOVERNOR_INTERVAL_MS = 2_000;

/**
 * The SFU-side governor of one peer: every 2 s, for each of its receive transports carrying
 * video, reads mediasoup's estimate and applies `chooseLayers` — preferred layers capped (never
 * above what the client asked for) and the least important videos paused, with the receiver
 * told (`videoHeld`) so its tile says "video paused to keep audio" instead of freezing.
 */
export class LayerGovernor {
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly host: GovernorHost,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), GOVERNOR_INTERVAL_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round over every receive transport (also called directly by tests). */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const t of this.host.transports()) {
        if (t.type !== 'webrtc' || t.closed) continue;
        if ((t.appData as { direction?: string }).direction !== 'recv') continue;
        await this.govern(t).catch((err: Error) =>
          this.log.debug({ transport: t.id, err: err.message }, 'governor round failed'),
        );
      }
    } finally {
      this.busy = false;
    }
  }

  private async govern(transport: types.WebRtcTransport): Promise<void> {
    const on = [...this.host.consumers()].filter(
      (c) => !c.closed && c.appData.transportId === transport.id,
    );
    const videos = on.filter(
      (c) => c.kind === 'video' && !c.producerPaused && this.host.wantsVideo(c),
    );
    if (!videos.length) return;
    const [stats] = await transport.getStats();
    const estimate = stats?.availableOutgoingBitrate;
    if (typeof estimate !== 'number' || estimate <= 0) return; // not connected yet
    const data = transport.appData as GovernedTransportData;
    const cap = lineCapBps(data);
    const voices = on.filter((c) => c.kind === 'audio' && !c.paused && !c.producerPaused).length;
    const input: GovernedVideo[] = videos.map((c) => ({
      id: c.id,
      priority: c.priority,
      spatialBps: c.appData.spatialBps ?? [DEFAULT_SPATIAL_BPS[0]!],
      temporalLayers: c.appData.temporalLayers ?? 1,
      previous: c.appData.governed,
    }));
    const floor = await this.floor(transport, on, estimate, voices, input);
    const withFloor = Math.max(estimate, floor);
    const available = Math.min(cap, withFloor);
    const choices = chooseLayers(available, voices, input);
    const where = { transport: transport.id, availableBps: available, floorBps: floor, voices };
    for (const c of videos) await this.apply(c, choices.get(c.id)!, where);
  }

  /**
   * The floor under this transport's estimate (loss-floor.ts): what the voices and the first
   * video's lowest layer at every frame rate cost, granted step by step while the receiver's
   * reports show random loss and no queue. Applied with mediasoup's `setMinOutgoingBitrate`.
   */
  private async floor(
    transport: types.WebRtcTransport,
    on: GovernedConsumer[],
    estimate: number,
    voices: number,
    videos: GovernedVideo[],
  ): Promise<number> {
    const data = transport.appData as GovernedTransportData;
    const { wantedBps: wanted, flowingBps: flowing } = floorTarget(voices, videos, data);
    const { window, counters } = await readLinkWindow(on, estimate, data.linkCounters);
    data.linkCounters = counters;
    // The line's own round trip, when the client measured it before the media: what the SFU
    // measures begins with the first key frames already queued (measured on 256k: 584 ms on a
    // 300 ms line, and a floor climbing into that queue until it doubled).
    const before = data.lossFloor ?? { ...NO_FLOOR, baseRttMs: data.lineRttMs ?? null };
    const next = nextFloor(before, window, wanted, flowing);
    this.log.debug(
      { transport: transport.id, ...window, wanted, flowing, next },
      'governor floor window',
    );
    if (next.floorBps !== before.floorBps)
      // 0 gives mediasoup's own lower bound back.
      await transport.setMinOutgoingBitrate(next.floorBps);
    data.lossFloor = next;
    if (next.floorBps !== before.floorBps || next.reason !== before.reason) {
      this.log.info(
        {
          transport: transport.id,
          ...window,
          floorBps: next.floorBps,
          wantedBps: wanted,
          flowingBps: flowing,
        },
        `governor floor: ${next.reason}`,
      );
    }
    return next.floorBps;
  }

  private async apply(
    c: GovernedConsumer,
    choice: LayerChoice,
    where: Record<string, unknown>,
  ): Promise<void> {
    c.appData.governed = choice;
    if (choice.paused) {
      if (c.appData.governorPaused) return;
      c.appData.governorPaused = true;
      await c.pause();
      this.host.held(c, true);
      this.log.info({ ...where, consumer: c.id }, 'governor paused a video to keep audio');
      return;
    }
    if (c.appData.governorPaused) {
      this.log.info({ ...where, consumer: c.id }, 'governor released a video');
      c.appData.governorPaused = false;
      await c.resume();
      await c.requestKeyFrame().catch(() => undefined);
      this.host.held(c, false);
    }
    if (c.type === 'simple') return; // one layer: nothing to choose
    const target = lowerLayers(c.appData.clientLayers, choice);
    const now = c.preferredLayers;
    const temporal = target.temporalLayer ?? now?.temporalLayer; // none asked: whatever it has
    if (now?.spatialLayer === target.spatialLayer && now?.temporalLayer === temporal) return;
    await c.setPreferredLayers(target);
  }
}
