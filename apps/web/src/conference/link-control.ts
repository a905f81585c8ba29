import type { types as ms } from 'mediasoup-client';
import type { MediaSource } from '@caunoi/shared';
import {
  chooseVideos,
  downlinkSample,
  INITIAL_LINK_STATE,
  nextLinkState,
  type LinkMode,
  type DownlinkSample,
  type LinkState,
  type ReceiveCounters,
} from './link-policy';
import type { ReceiverStat } from './types';

/** What the controller needs of one consumer of the conference client. */
export interface ControlledConsumer {
  consumer: ms.Consumer;
  peerId: string;
  source: MediaSource;
  producerPaused: boolean;
  /** Paused by us to keep audio flowing on a weak downlink (shown as such, not as camera off). */
  heldForLink?: boolean;
  /** Held only until its turn (a weak line's join starts one video at a time), not starved. */
  waiting?: boolean;
  /** Paused by the SFU's governor for the same reason (`videoHeld`); it releases it itself. */
  heldBySfu?: boolean;
  /** Layers last asked of the SFU, as `spatial/temporal` ('' temporal: all). */
  preferredLayers?: string;
}

type Request = (
  name: 'pauseConsumer' | 'resumeConsumer' | 'setPreferredLayers',
  data: object,
) => Promise<unknown>;

function counters(
  consumers: Map<string, ControlledConsumer>,
  inbound: Map<string, ReceiverStat>,
): ReceiveCounters {
  const c: ReceiveCounters = {
    concealed: 0,
    samples: 0,
    lost: 0,
    received: 0,
    audioLost: 0,
    audioReceived: 0,
    frames: {},
  };
  for (const [id, s] of inbound) {
    const entry = consumers.get(id);
    if (!entry) continue;
    c.lost += s.packetsLost;
    c.received += s.packetsReceived;
    if (entry.consumer.kind === 'audio') {
      c.audioLost! += s.packetsLost;
      c.audioReceived! += s.packetsReceived;
      c.concealed += s.concealedSamples ?? 0;
      c.samples += s.totalSamplesReceived ?? 0;
    } else if (!entry.producerPaused && !entry.heldForLink && !entry.heldBySfu) {
      c.frames[id] = s.framesDecoded ?? 0;
    }
  }
  return c;
}

/** One judged window: when, what was measured, and the mode it left. */
export interface LinkWindowRecord {
  at: number;
  sample: DownlinkSample;
  mode: LinkMode;
}

/** Judged windows kept for diagnostics (about a minute). */
const HISTORY = 30;

/**
 * Applies the link policy to a conference: measures each window, moves the link mode, and pauses,
 * resumes or re-layers the remote videos accordingly (on the SFU too, so the bytes really stop).
 */
export class LinkController {
  private state: LinkState = INITIAL_LINK_STATE;
  private prev: { at: number; counters: ReceiveCounters } | null = null;
  /** Windows judged since the (re)join. */
  private judged = 0;
  private readonly windows: LinkWindowRecord[] = [];

  history(): LinkWindowRecord[] {
    return [...this.windows];
  }

  get mode(): LinkMode {
    return this.state.mode;
  }

  /** A new (re)join; `weak`: the line is known to be weak, so the policy starts there. */
  reset(weak = false): void {
    this.state = weak ? { ...INITIAL_LINK_STATE, mode: 'weak' } : INITIAL_LINK_STATE;
    this.prev = null;
    this.judged = 0;
  }

  /** One window; returns whether anything visible changed. */
  async tick(
    consumers: Map<string, ControlledConsumer>,
    inbound: Map<string, ReceiverStat>,
    activeSpeakerId: string | null,
    audioOnly: boolean,
    request: Request,
    voicesSettling = false,
  ): Promise<boolean> {
    const now = Date.now();
    const current = counters(consumers, inbound);
    const before = this.state.mode;
    // Nothing is owed when every remote site is muted with its camera off: no verdict then.
    const expecting = [...consumers.values()].some(
      (c) => !c.producerPaused && !c.heldForLink && !c.heldBySfu,
    );
    // Judged from the first packets on: before them the receive transport is still connecting
    // (1.5 s after the join on 128k), and "nothing arrives" then sent every weak site to
    // critical — no video — for the 16 s the way back takes.
    if (this.prev && expecting && current.received > 0) {
      const seconds = Math.max(0.5, (now - this.prev.at) / 1000);
      let sample = downlinkSample(this.prev.counters, current, seconds);
      // The first window after joining holds the audio decoders' start (their jitter buffers
      // fill by concealing, 15–20 % measured on 256k): not the line's doing. Judged on it, every
      // weak site began in critical — no video — for the 16 s the way back takes.
      // Likewise while a voice's playout buffer grows (voice-buffer.ts): the browser stretches
      // the sound to fill it, and counts the stretch as concealment.
      if (this.judged++ === 0 || voicesSettling) sample = { ...sample, audioConcealedPct: 0 };
      this.state = nextLinkState(this.state, sample);
      this.windows.push({ at: now, sample, mode: this.state.mode });
      if (this.windows.length > HISTORY) this.windows.shift();
    }
    const earlier = this.prev;
    this.prev = { at: now, counters: current };
    // Starved: held already, or under 1 frame/s in a window in which the server sent it (a video
    // first seen in this window is judged on the next one).
    const starved = (id: string, c: ControlledConsumer) => {
      if (c.heldForLink) return !c.waiting;
      const before = earlier?.counters.frames[id];
      if (before === undefined || !(id in current.frames)) return false;
      const seconds = Math.max(0.5, (now - earlier!.at) / 1000);
      return (current.frames[id] - before) / seconds < 1;
    };
    const videos = [...consumers.entries()]
      .filter(([, c]) => c.consumer.kind === 'video' && !c.producerPaused)
      .map(([id, c]) => ({
        peerId: c.peerId,
        source: c.source === 'screen' ? ('screen' as const) : ('camera' as const),
        starved: starved(id, c),
      }));
    const plan = chooseVideos(this.state.mode, videos, activeSpeakerId, audioOnly);
    let changed = before !== this.state.mode;
    // On a weak line at most one held video comes back per window, the speaker's or the shared
    // screen first: each brings a key frame, and two at once overflow a 128 kbit/s queue.
    let resumed = 0;
    const first = (c: ControlledConsumer) =>
      c.source === 'screen' || c.peerId === activeSpeakerId ? 0 : 1;
    const ordered = [...consumers].sort(([, a], [, b]) => first(a) - first(b));
    for (const [id, c] of ordered) {
      if (c.consumer.kind !== 'video' || c.producerPaused) continue;
      const choice = plan[`${c.peerId}/${c.source === 'screen' ? 'screen' : 'camera'}`];
      if (!choice || audioOnly) continue; // audio-only is the server's job (setAudioOnly)
      if (!choice.receive && !c.heldForLink) {
        c.heldForLink = true;
        c.consumer.pause();
        await request('pauseConsumer', { consumerId: id }).catch(() => undefined);
        changed = true;
      } else if (
        choice.receive &&
        c.heldForLink &&
        (this.state.mode === 'normal' || resumed++ === 0)
      ) {
        c.heldForLink = false;
        c.waiting = false;
        await request('resumeConsumer', { consumerId: id }).catch(() => undefined);
        c.consumer.resume();
        changed = true;
      }
      const layers = `${choice.spatialLayer}/${choice.temporalLayer ?? ''}`;
      if (choice.receive && !c.heldForLink && c.preferredLayers !== layers) {
        c.preferredLayers = layers;
        await request('setPreferredLayers', {
          consumerId: id,
          spatialLayer: choice.spatialLayer,
          // Without a temporal layer the SFU allows the highest one the estimate carries.
          ...(choice.temporalLayer === undefined ? {} : { temporalLayer: choice.temporalLayer }),
        }).catch(() => undefined);
      }
    }
    return changed;
  }
}

/** Below this uplink estimate (kbit/s) even the lowest camera layer would starve the audio. */
export const CAMERA_HOLD_BELOW_KBPS = 80;
/** The camera comes back only with this much room, so it does not flap. */
export const CAMERA_RELEASE_FROM_KBPS = 150;

/**
 * Whether to hold the camera back on a weak uplink. Between the extremes the browser itself
 * drops the upper simulcast layers the estimate cannot carry; what it never does is stop the
 * lowest one, which on a line of a few tens of kbit/s competes with the sound.
 */
export function holdCamera(availableKbps: number | null, held: boolean): boolean {
  if (availableKbps === null) return held;
  if (held) return availableKbps < CAMERA_RELEASE_FROM_KBPS;
  return availableKbps < CAMERA_HOLD_BELOW_KBPS;
}

/**
 * A figure of a transport's nominated candidate pair (the highest, should there be several), or
 * null: no transport, not connected yet, or closed while it was read.
 */
export async function nominatedPairFigure(
  transport: ms.Transport | null,
  key: 'availableOutgoingBitrate' | 'currentRoundTripTime',
): Promise<number | null> {
  if (!transport) return null;
  try {
    let best: number | null = null;
    (await transport.getStats()).forEach((s: Record<string, unknown>) => {
      const value = s[key];
      if (s.type === 'candidate-pair' && s.nominated && typeof value === 'number')
        best = Math.max(best ?? 0, value);
    });
    return best;
  } catch {
    return null;
  }
}

/** availableOutgoingBitrate of the selected candidate pair of a send transport, in kbit/s. */
export async function uplinkEstimateKbps(transport: ms.Transport | null): Promise<number | null> {
  const bps = await nominatedPairFigure(transport, 'availableOutgoingBitrate');
  return bps === null ? null : bps / 1000;
}
