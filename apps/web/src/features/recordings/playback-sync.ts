/**
 * The playback clock of a recording: one time line (seconds from the start of the recording),
 * every track an element placed on it at its start offset. The elements play by themselves; the
 * clock only says where each should be, and a track that drifted further than MAX_DRIFT_S (a
 * stall while loading, a slow decoder on a phone) is put back in place.
 */
export interface TimedTrack {
  startOffset: number;
  endOffset: number;
}

/** Allowed gap between a track and the clock before it is re-positioned (lip sync stays). */
export const MAX_DRIFT_S = 0.3;

/** The element's own time at time line `t`, or null outside the track's span. */
export function trackTime(track: TimedTrack, t: number): number | null {
  if (t < track.startOffset || t >= track.endOffset) return null;
  return t - track.startOffset;
}

export function needsSeek(current: number, target: number): boolean {
  return Math.abs(current - target) > MAX_DRIFT_S;
}

/** `mm:ss` (or `h:mm:ss`) of a time-line position. */
export function clockLabel(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A clock that runs while playing: position = base + elapsed wall time. */
export class PlaybackClock {
  private base = 0;
  private since: number | null = null;

  constructor(
    readonly duration: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get playing(): boolean {
    return this.since !== null;
  }

  position(): number {
    const t = this.since === null ? this.base : this.base + (this.now() - this.since) / 1000;
    return Math.min(t, this.duration);
  }

  play(): void {
    if (this.since === null) this.since = this.now();
  }

  pause(): void {
    this.base = this.position();
    this.since = null;
  }

  seek(t: number): void {
    this.base = Math.max(0, Math.min(t, this.duration));
    if (this.since !== null) this.since = this.now();
  }
}
