/**
 * What a site on a weak line should receive. Audio comes first: when the downlink cannot carry
 * everything, video is cut back on purpose — lowest simulcast layer, then only the people who
 * matter now (the active speaker and whoever presents), then no video at all — instead of letting
 * every stream freeze. Pure functions of what the receiver measured, so the rules are testable.
 */

/** One measurement window of what this site received (from inbound-rtp statistics). */
export interface DownlinkSample {
  /** Share of audio samples the decoder had to conceal, 0..100, across remote sites. */
  audioConcealedPct: number;
  /** Packet loss on everything received, 0..100. */
  lossPct: number;
  /** Packet loss on the voices alone, 0..100 (missing: judged on `lossPct`). */
  audioLossPct?: number;
  /** Frames decoded per second, per remote video that the server is sending (not paused). */
  videoFps: number[];
  /** Whether any packet at all arrived in the window. */
  anything: boolean;
}

/** normal: all video; weak: lowest layer, last-N; critical: audio only. */
export type LinkMode = 'normal' | 'weak' | 'critical';

export interface LinkState {
  mode: LinkMode;
  /** Consecutive windows that argued for a better mode (hysteresis). */
  goodStreak: number;
  /** The voices broke up in the previous window (heavy loss or concealment). */
  heavyBefore?: boolean;
}

export const INITIAL_LINK_STATE: LinkState = { mode: 'normal', goodStreak: 0 };

/** Windows of good reception before stepping back up one mode (about 15 s at 2 s windows). */
export const RECOVERY_WINDOWS = 8;

/**
 * The line's verdict on one window. Concealment and frozen frames also happen when the device is
 * merely busy (a slow phone, a loaded PC), which video cuts would not cure, so they count only
 * together with packet loss, the mark of a congested or lossy line.
 */
function verdict(s: DownlinkSample, heavyBefore: boolean): LinkMode {
  if (!s.anything) return 'critical';
  // Voices lost or heavily concealed count only in two windows in a row: the window in which the
  // first key frames cross a 128 kbit/s line loses a third of the voices' packets (or conceals a
  // quarter of the audio) while the queue drains, then the voices are clean again; taken as
  // critical at once, every joining or resumed video cut itself off again.
  if (heavy(s)) return heavyBefore ? 'critical' : 'weak';
  const frozen = s.videoFps.length > 0 && s.videoFps.every((f) => f < 1);
  if (s.lossPct >= 5 || ((s.audioConcealedPct >= 3 || frozen) && s.lossPct >= 1)) return 'weak';
  return 'normal';
}

/**
 * The voices break up in this window: a fifth of their packets lost, or much of the sound
 * concealed on a line that loses packets. "No video at all" is for that: the voices' loss, not
 * all packets', since on a 128 kbit/s line one key frame overflows the queue and loses a third
 * of a window's video packets while the voices come through.
 */
function heavy(s: DownlinkSample): boolean {
  const voiceLossPct = s.audioLossPct ?? s.lossPct;
  return voiceLossPct >= 20 || (s.audioConcealedPct >= 15 && s.lossPct >= 3);
}

const RANK: Record<LinkMode, number> = { normal: 0, weak: 1, critical: 2 };
const BY_RANK: LinkMode[] = ['normal', 'weak', 'critical'];

/**
 * The next state: a worse verdict applies at once (audio must not wait); a better one only after
 * RECOVERY_WINDOWS good windows in a row, one mode at a time, so the mode does not flap.
 */
export function nextLinkState(state: LinkState, sample: DownlinkSample): LinkState {
  const seen = verdict(sample, !!state.heavyBefore);
  const heavyBefore = heavy(sample);
  if (RANK[seen] > RANK[state.mode]) return { mode: seen, goodStreak: 0, heavyBefore };
  if (RANK[seen] === RANK[state.mode]) return { ...state, goodStreak: 0, heavyBefore };
  const goodStreak = state.goodStreak + 1;
  if (goodStreak < RECOVERY_WINDOWS) return { ...state, goodStreak, heavyBefore };
  return { mode: BY_RANK[RANK[state.mode] - 1], goodStreak: 0, heavyBefore };
}

export interface RemoteVideo {
  peerId: string;
  source: 'camera' | 'screen';
  /**
   * Nothing (< 1 frame/s) arrived in the last window although the server was sending, or it is
   * already held for the line: the line cannot carry it.
   */
  starved?: boolean;
}

/**
 * For each remote video: whether to receive it, and the highest simulcast layers wanted
 * (temporalLayer absent: every frame rate the estimate allows).
 */
export interface VideoChoice {
  receive: boolean;
  spatialLayer: number;
  temporalLayer?: number;
}

/**
 * Which remote videos to receive. Normal: all, best layer the server's estimate allows. Weak:
 * the screen share (the case on screen is what the consultation is about) and the active
 * speaker's camera at the lowest spatial layer; every other site as a thumbnail (lowest spatial
 * and temporal layer, a few frames a second) while the line carries it, and once it starves,
 * shown by name with a "paused to keep audio" state instead of a frozen tile (paused on the
 * server, so its bytes stop). Critical or audio-only: nothing.
 */
export function chooseVideos(
  mode: LinkMode,
  videos: RemoteVideo[],
  activeSpeakerId: string | null,
  audioOnly = false,
): Record<string, VideoChoice> {
  const out: Record<string, VideoChoice> = {};
  const key = (v: RemoteVideo) => `${v.peerId}/${v.source}`;
  const speaker = videos.find((v) => v.source === 'camera' && v.peerId === activeSpeakerId);
  // Without a known speaker, keep one camera so the room never goes blank at once.
  const lastN = speaker ?? videos.find((v) => v.source === 'camera');
  for (const v of videos) {
    if (audioOnly || mode === 'critical') out[key(v)] = { receive: false, spatialLayer: 0 };
    else if (mode === 'normal') out[key(v)] = { receive: true, spatialLayer: 2 };
    else if (v.source === 'screen' || v === lastN) out[key(v)] = { receive: true, spatialLayer: 0 };
    else out[key(v)] = { receive: !v.starved, spatialLayer: 0, temporalLayer: 0 };
  }
  return out;
}

/** Cumulative counters of everything received, as read from inbound-rtp statistics. */
export interface ReceiveCounters {
  concealed: number;
  samples: number;
  lost: number;
  received: number;
  /** The same two counters for the voices alone. */
  audioLost?: number;
  audioReceived?: number;
  /** Frames decoded so far, per video consumer the server is sending. */
  frames: Record<string, number>;
}

/** One window between two readings of the cumulative counters. */
export function downlinkSample(
  prev: ReceiveCounters,
  next: ReceiveCounters,
  seconds: number,
): DownlinkSample {
  const samples = next.samples - prev.samples;
  const received = next.received - prev.received;
  const lost = Math.max(0, next.lost - prev.lost);
  const audioReceived = (next.audioReceived ?? 0) - (prev.audioReceived ?? 0);
  const audioLost = Math.max(0, (next.audioLost ?? 0) - (prev.audioLost ?? 0));
  return {
    audioConcealedPct: samples > 0 ? (100 * (next.concealed - prev.concealed)) / samples : 0,
    lossPct: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
    ...(audioReceived + audioLost > 0
      ? { audioLossPct: (100 * audioLost) / (audioReceived + audioLost) }
      : {}),
    // A video that started in this window has no earlier reading: judged from the next one.
    videoFps: Object.entries(next.frames)
      .filter(([id]) => id in prev.frames)
      .map(([id, f]) => (f - prev.frames[id]) / seconds),
    anything: received > 0,
  };
}
