/**
 * The SFU-side governor's policy (pure; applied by LayerGovernor): which layer of each video a
 * receiver gets from its transport's estimate once the voices are paid for. mediasoup shares the
 * estimate among video consumers only, as if audio cost nothing; on a 128–256 kbit/s downlink
 * two voices are a third to a half of the line, so video given the whole estimate overfills the
 * queue and the voices break up. Here the voices are paid first, then the videos in priority
 * order (shared screen, active speaker, other cameras): each its lowest layer while it fits,
 * then the first in order climbs as far as the rest allows, and so on.
 */

/** A voice on the wire: ≤ 24 kbit/s of Opus plus ≈ 10 kbit/s of IP/UDP/RTP/SRTP headers at
 * 40 ms packets (MIC_CODEC_OPTIONS of the web client) and its RTCP. */
export const AUDIO_WIRE_BPS = 36_000;

/** Share of a spatial layer's bit rate carried by temporal layers 0..n (by number of layers):
 * the base layer of three is a quarter of the frames but, with its key frames, ~40 % of bits. */
const TEMPORAL_SHARE: Record<number, number[]> = {
  1: [1],
  2: [0.6, 1],
  3: [0.4, 0.65, 1],
};

/** A climb must fit this many times over: the estimate wobbles, and a layer that comes and goes
 * every few seconds costs a key frame each time. Dropping a layer happens at once. */
export const UPGRADE_MARGIN = 1.25;

export type LayerChoice =
  { paused: true } | { paused: false; spatialLayer: number; temporalLayer: number };

export interface GovernedVideo {
  id: string;
  /** Consumer priority (CONSUMER_PRIORITY): higher is served first. */
  priority: number;
  /** Bit rate of each spatial layer with all its temporal layers (index = spatial layer). */
  spatialBps: number[];
  temporalLayers: number;
  /** The previous choice, for hysteresis (none: new). */
  previous?: LayerChoice;
}

interface Step {
  spatialLayer: number;
  temporalLayer: number;
  bps: number;
}

function ladder(v: GovernedVideo): Step[] {
  const shares = TEMPORAL_SHARE[Math.min(3, Math.max(1, v.temporalLayers))]!;
  const steps: Step[] = [];
  v.spatialBps.forEach((bps, spatialLayer) =>
    shares.forEach((share, temporalLayer) =>
      steps.push({ spatialLayer, temporalLayer, bps: bps * share }),
    ),
  );
  return steps.sort((a, b) => a.bps - b.bps);
}

/** What a video's lowest step (lowest spatial and temporal layer) costs. */
export function lowestStepBps(v: GovernedVideo): number {
  return ladder(v)[0]!.bps;
}

function rank(choice: LayerChoice | undefined, steps: Step[]): number {
  if (!choice || choice.paused) return -1;
  return steps.findIndex(
    (s) => s.spatialLayer === choice.spatialLayer && s.temporalLayer === choice.temporalLayer,
  );
}

/**
 * Decide every video of one receive transport. `availableBps`: the transport's estimate;
 * `voices`: audio consumers flowing on it. The first video in priority order is never paused
 * (the active speaker or the shared screen at its lowest layer is worth a little overshoot);
 * the others are paused when even their lowest layer does not fit, and come back only when it
 * fits with the margin.
 */
export function chooseLayers(
  availableBps: number,
  voices: number,
  videos: GovernedVideo[],
): Map<string, LayerChoice> {
  let left = availableBps - voices * AUDIO_WIRE_BPS;
  const ordered = [...videos].sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id));
  const steps = new Map(ordered.map((v) => [v.id, ladder(v)]));
  const at = new Map<string, number>(); // index into the video's ladder
  ordered.forEach((v, i) => {
    const base = steps.get(v.id)![0]!;
    const wasPaused = v.previous?.paused === true;
    const need = base.bps * (wasPaused ? UPGRADE_MARGIN : 1);
    if (i === 0 || left >= need) {
      at.set(v.id, 0);
      left -= base.bps;
    }
  });
  for (const v of ordered) {
    const ladderOf = steps.get(v.id)!;
    let i = at.get(v.id);
    if (i === undefined) continue;
    const before = rank(v.previous, ladderOf);
    while (i + 1 < ladderOf.length) {
      const extra = ladderOf[i + 1]!.bps - ladderOf[i]!.bps;
      const margin = i + 1 > before ? UPGRADE_MARGIN : 1;
      if (extra * margin > left) break;
      left -= extra;
      i++;
    }
    at.set(v.id, i);
  }
  const out = new Map<string, LayerChoice>();
  for (const v of ordered) {
    const i = at.get(v.id);
    const s = i === undefined ? undefined : steps.get(v.id)![i]!;
    out.set(
      v.id,
      s
        ? { paused: false, spatialLayer: s.spatialLayer, temporalLayer: s.temporalLayer }
        : { paused: true },
    );
  }
  return out;
}

/**
 * What a receive transport carries whatever its estimate says: the voices (never governed) and
 * the first video's lowest step (never paused). An estimate below it is below the line's real
 * use, and a floor climbing from there spends its first steps on nothing.
 */
export function flowingBps(voices: number, videos: GovernedVideo[]): number {
  const [first] = [...videos].sort((a, b) => b.priority - a.priority);
  return voices * AUDIO_WIRE_BPS + (first ? lowestStepBps(first) : 0);
}

/**
 * What a floor under a transport's estimate (loss-floor.ts) should reach: the voices, the first
 * video's lowest spatial layer at every frame rate (with the margin a climb needs) and every
 * other video's thumbnail; never past `capBps` (the operator's maximum, or what the line carried
 * in the peer's last weak session). 0 without video.
 */
export function floorWantedBps(voices: number, videos: GovernedVideo[], capBps: number): number {
  const [first, ...others] = [...videos].sort((a, b) => b.priority - a.priority);
  if (!first) return 0;
  return Math.min(
    capBps,
    voices * AUDIO_WIRE_BPS +
      first.spatialBps[0]! * UPGRADE_MARGIN +
      others.reduce((sum, v) => sum + lowestStepBps(v), 0),
  );
}

/** The share of a known line's rate the governor counts on: the rest is for retransmissions,
 * RTCP, signalling and the estimate's wobble. Measured on 128k: a floor allowed the line's whole
 * carried rate (127 kbit/s) let a held video come back into a full queue and froze a tile. */
export const LINE_ROOM = 0.8;

/** What one receive transport's line is known by (kept in its appData). */
export interface KnownLine {
  /** The operator's maximum (`SFU_MAX_OUTGOING_BITRATE`). */
  maxOutgoingBitrate?: number;
  /** What the peer's line carried (`join {startBitrate}` ÷ `START_BITRATE_SHARE`). */
  carriedBps?: number;
}

/**
 * The most the governor counts on for a transport's layers and floor, whatever mediasoup's
 * estimate says: the operator's maximum and `LINE_ROOM` of what the line is known to carry.
 * Measured on 128k with no floor: mediasoup's own estimate swung 69 → 137 → 98 → 160 → 49 →
 * 252 kbit/s within 20 s, and each swing up released a held video into the full line (its
 * tile froze).
 */
export function lineCapBps(line: KnownLine): number {
  const known = line.carriedBps ? line.carriedBps * LINE_ROOM : Infinity;
  return Math.min(line.maxOutgoingBitrate ?? Infinity, known);
}

/**
 * What the floor of one receive transport aims at (loss-floor.ts `nextFloor`): `wantedBps` never
 * past `lineCapBps` (a floor at the line's rate fills its queue — on 128k lifted to 158 kbit/s,
 * the round trip went 500 → 850 ms and a held video came back); and with the line known,
 * `flowingBps` for the climb to start from (0: unknown line).
 */
export function floorTarget(
  voices: number,
  videos: GovernedVideo[],
  line: KnownLine,
): { wantedBps: number; flowingBps: number } {
  const cap = lineCapBps(line);
  return {
    wantedBps: floorWantedBps(voices, videos, cap),
    flowingBps: line.carriedBps ? flowingBps(voices, videos) : 0,
  };
}
