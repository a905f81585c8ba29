/**
 * A floor under a receive transport's estimate when its loss is random, not congestion (pure;
 * applied by LayerGovernor through mediasoup's `setMinOutgoingBitrate`).
 *
 * On a 3G/DSL line with a few per cent of random loss, the estimate's loss-based controller
 * neither climbs nor falls between 2 and 10 % loss: the estimate stays where the first seconds
 * left it (measured: 143 kbit/s on a 256 kbit/s line), and the active speaker gets its lowest
 * layer at a few frames a second. Congestion shows as growing queueing delay (the round trip
 * climbs) or growing loss; random loss does neither. So while the round trip stays at its
 * low, the loss stays moderate and the estimate sits flat, the floor climbs in small steps
 * towards what the speaker's lowest layer at every frame rate costs (voices included). The first
 * sign of a queue drops it at once, and the level where the queue appeared becomes a ceiling
 * the floor stays under for the rest of the call; after a drop it waits before climbing again.
 * On a line whose rate is known (the client measured it), what is wanted already leaves room
 * under that rate, so the climb starts from what flows anyway and takes larger steps.
 */

/** One governor window of a receive transport. */
export interface LinkWindow {
  /** mediasoup's estimate (with any floor applied). */
  estimateBps: number;
  /** Round trip reported by the receiver (RTCP), ms; null when unknown. */
  rttMs: number | null;
  /** Loss the receiver reports, 0..1; null when unknown. */
  loss: number | null;
  /** The lowest score (0..10) of the voices on the transport: audio must stay clean. */
  audioScore: number | null;
}

export interface FloorState {
  /** The floor now applied (0: none). */
  floorBps: number;
  /** The lowest round trip seen: the line without a queue. */
  baseRttMs: number | null;
  /** Estimates of the last windows while no floor changed them. */
  recentEstimates: number[];
  /** Where a queue appeared: the floor stays below it. */
  ceilingBps: number | null;
  /** Windows to wait before climbing again after a drop. */
  waitWindows: number;
  /** The round trip of the previous window: a queue is judged on two windows in a row. */
  lastRttMs: number | null;
  /** Why the floor is where it is (logged when it changes). */
  reason: FloorReason;
}

export type FloorReason =
  | 'none' // no random-loss signature (yet), or nothing to lift
  | 'queue'
  | 'loss'
  | 'audio'
  | 'waiting'
  | 'climbing'
  | 'held'; // at what is wanted, or the estimate is there by itself

export const NO_FLOOR: FloorState = {
  floorBps: 0,
  baseRttMs: null,
  recentEstimates: [],
  ceilingBps: null,
  waitWindows: 0,
  lastRttMs: null,
  reason: 'none',
};

/** Queueing delay beyond the line's own round trip that counts as a queue building, in two
 * windows in a row: one key frame alone queues ~0.5 s on a 256 kbit/s line and drains. */
export const QUEUE_DELAY_MS = 100;
/** Loss above this is not "a few per cent of random loss". */
export const MAX_RANDOM_LOSS = 0.12;
/** A voice scored under this (≈ 8 % of its packets lost) is breaking up: no floor. */
export const MIN_AUDIO_SCORE = 7;
/** Some loss must be there: without it the estimate climbs by itself. */
const MIN_RANDOM_LOSS = 0.01;
/** Windows of a flat estimate before a floor starts (≈ 6 s at 2 s windows). */
export const FLAT_WINDOWS = 3;
/** On a line whose rate is known: windows of an estimate not climbing by
 * itself before a floor starts (measured on 256k: the estimate fell from 228 to 105 kbit/s after
 * the start and wobbled, and three flat windows came 24 s later, most of the first half minute). */
export const KNOWN_LINE_WINDOWS = 2;
/** "Flat": the highest of those windows within this factor of the lowest. */
const FLAT_SPREAD = 1.15;
/** Each window the floor climbs by at most this share of itself. */
export const STEP = 0.15;
/** The same on a line whose rate is known: what is wanted stays under it with room to spare. */
export const KNOWN_LINE_STEP = 0.3;
/** After a drop: windows before the floor may climb again (≈ 16 s). */
export const WAIT_AFTER_DROP = 8;
/** The floor stays this far under the level where a queue appeared. */
const CEILING_MARGIN = 0.85;

/**
 * The next floor for one transport. `wantedBps`: what the voices plus the first video's lowest
 * spatial layer (every temporal layer) cost; 0 when nothing would use a floor. `flowingBps`,
 * given only on a line whose rate is known and with `wantedBps` kept under that rate with room:
 * what flows on the transport whatever the estimate (the voices and the first video's lowest
 * step). Measured on 256k, the estimate sat at 39 kbit/s under 98 kbit/s of them, and 15 % steps
 * from 39 took 24 s to reach what was wanted; from what flows, in 30 % steps, it takes three.
 * Unknown line: 0, the climb starts from the estimate in small steps (what flows could be all
 * the line carries).
 */
export function nextFloor(
  state: FloorState,
  w: LinkWindow,
  wantedBps: number,
  flowingBps = 0,
): FloorState {
  const baseRttMs =
    w.rttMs === null ? state.baseRttMs : Math.min(state.baseRttMs ?? w.rttMs, w.rttMs);
  const lastRttMs = w.rttMs;
  const steadyRtt =
    w.rttMs === null || state.lastRttMs === null ? null : Math.min(w.rttMs, state.lastRttMs);
  const queued = steadyRtt !== null && baseRttMs !== null && steadyRtt > baseRttMs + QUEUE_DELAY_MS;
  const lossy = w.loss !== null && w.loss > MAX_RANDOM_LOSS;
  const breaking = w.audioScore !== null && w.audioScore < MIN_AUDIO_SCORE;
  if (queued || lossy || breaking) {
    // Congestion (or a line that got worse): no floor, at once; remember where it happened.
    const ceilingBps = state.floorBps
      ? Math.min(state.ceilingBps ?? Infinity, state.floorBps * CEILING_MARGIN)
      : state.ceilingBps;
    return {
      floorBps: 0,
      baseRttMs,
      recentEstimates: [],
      ceilingBps,
      // The wait is for a floor that met a queue. Without one the queue is the start's own (the
      // estimate's first seconds, the first key frames): measured on 256k, waiting 16 s after it
      // kept the speaker at a few frames a second for most of the first half minute. A floor
      // still needs its windows of random loss and no queue (see `flat` below) to start.
      waitWindows: state.floorBps ? WAIT_AFTER_DROP : Math.max(0, state.waitWindows - 1),
      lastRttMs,
      reason: queued ? 'queue' : lossy ? 'loss' : 'audio',
    };
  }
  if (state.waitWindows > 0)
    return {
      ...state,
      baseRttMs,
      lastRttMs,
      recentEstimates: [],
      waitWindows: state.waitWindows - 1,
      reason: 'waiting',
    };
  const recentEstimates = state.floorBps
    ? state.recentEstimates
    : [...state.recentEstimates, w.estimateBps].slice(-FLAT_WINDOWS);
  // Unknown line: flat, as random loss leaves it. Known line: merely not climbing by itself —
  // what is wanted leaves room under the line, and a queue still drops the floor at once.
  const known = flowingBps > 0;
  const windows = known ? KNOWN_LINE_WINDOWS : FLAT_WINDOWS;
  const judged = recentEstimates.slice(-windows);
  const flat =
    judged.length >= windows &&
    (known
      ? judged.at(-1)! <= judged[0]! * FLAT_SPREAD
      : Math.max(...judged) <= Math.min(...judged) * FLAT_SPREAD);
  const randomLoss = w.loss !== null && w.loss >= MIN_RANDOM_LOSS && w.rttMs !== null;
  const limit = Math.min(wantedBps, state.ceilingBps ?? Infinity);
  if (wantedBps <= 0 || (!state.floorBps && !(flat && randomLoss)) || w.estimateBps >= limit) {
    // Nothing to lift, no random-loss signature yet, or the estimate is there by itself: keep
    // a floor already earned (it only ever drops on congestion), never raise it here.
    const floorBps = Math.min(state.floorBps, limit);
    return {
      ...state,
      baseRttMs,
      lastRttMs,
      recentEstimates,
      floorBps,
      reason: floorBps ? 'held' : 'none',
    };
  }
  const from = Math.max(state.floorBps, w.estimateBps, flowingBps);
  const step = known ? KNOWN_LINE_STEP : STEP;
  const floorBps = Math.round(Math.min(limit, from * (1 + step)));
  return { ...state, baseRttMs, lastRttMs, recentEstimates, floorBps, reason: 'climbing' };
}
