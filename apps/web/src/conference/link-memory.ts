import { START_BITRATE_SHARE } from '@caunoi/shared';
import type { LinkMode } from './link-policy';

const KEY = 'caunoi.link.lastVerdict';
/** The most a weak session's downlink carried in one window, kbit/s. */
const KBPS_KEY = 'caunoi.link.lastKbps';
/** The start asked of the SFU: this share of what the line carried last time. */
export const START_SHARE = START_BITRATE_SHARE;
/** Windows shorter than this are too noisy to measure a line by. */
const MIN_WINDOW_MS = 1_500;

/**
 * What this device's last session found of its line, kept in localStorage: a site that was weak
 * yesterday is very likely weak today, and starting its estimates low (the SFU's towards it, the
 * camera's own) avoids overfilling the line in the first seconds, when the loss that follows
 * would pin the estimate down for long after. A session that stays normal clears it.
 */
export class LinkMemory {
  private worst: LinkMode = 'normal';
  private last: { bytes: number; at: number } | null = null;
  private peakKbps = 0;

  constructor(private readonly store: Pick<Storage, 'getItem' | 'setItem'> | null = storage()) {}

  /** The last session's verdict was weak (or critical). */
  get weakBefore(): boolean {
    try {
      return this.store?.getItem(KEY) === 'weak';
    } catch {
      return false;
    }
  }

  /**
   * Where the SFU should start its estimate (bit/s) on a line the last session found weak: a
   * share of what that session's downlink carried at most. None: no weak session measured.
   */
  get startBitrate(): number | undefined {
    if (!this.weakBefore) return undefined;
    let kbps = 0;
    try {
      kbps = Number(this.store?.getItem(KBPS_KEY) ?? 0);
    } catch {
      return undefined;
    }
    return Number.isFinite(kbps) && kbps > 0 ? Math.round(kbps * START_SHARE * 1000) : undefined;
  }

  /** Every byte received so far (all remote streams) at `at` ms: the downlink's windows. */
  observeReceived(bytes: number, at: number): void {
    const last = this.last;
    if (!last || bytes < last.bytes) {
      this.last = { bytes, at }; // first sample, or streams went away: start over
      return;
    }
    if (at - last.at < MIN_WINDOW_MS) return;
    this.last = { bytes, at };
    const kbps = ((bytes - last.bytes) * 8) / (at - last.at);
    if (kbps <= this.peakKbps) return;
    this.peakKbps = kbps;
    if (this.worst !== 'normal') this.saveKbps();
  }

  /** Each verdict of this session; a weak one is remembered at once (the tab may just close). */
  observe(mode: LinkMode): void {
    if (mode === 'normal' || this.worst !== 'normal') return;
    this.worst = mode;
    this.save('weak');
    this.saveKbps();
  }

  /** The session ended: remember how it went. */
  end(): void {
    this.save(this.worst === 'normal' ? 'normal' : 'weak');
  }

  private saveKbps(): void {
    if (this.peakKbps <= 0) return;
    try {
      this.store?.setItem(KBPS_KEY, String(Math.round(this.peakKbps)));
    } catch {
      /* storage full or refused: nothing remembered */
    }
  }

  private save(value: 'weak' | 'normal'): void {
    try {
      this.store?.setItem(KEY, value);
    } catch {
      /* storage full or refused: nothing remembered */
    }
  }
}

export function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** What the browser's own network estimate (Network Information API, Chromium/Android) says. */
export interface ConnectionEstimate {
  effectiveType?: string;
  /** Round trip in ms. */
  rtt?: number;
  /** Downlink in Mbit/s (0 or missing: unknown). */
  downlink?: number;
}

/** A downlink under this (Mbit/s) is a weak line. */
const WEAK_DOWNLINK_MBPS = 0.6;

/**
 * Whether the browser already sees a weak line before the room is entered: its estimate from the
 * page's own requests says 3G or worse, ≥ 250 ms round trips or under 0.6 Mbit/s. A site on its
 * first session has no memory yet; this lets it start low too. Absent estimate: not weak.
 */
export function lineLooksWeak(c: ConnectionEstimate | null | undefined): boolean {
  if (!c) return false;
  if (c.effectiveType && ['slow-2g', '2g', '3g'].includes(c.effectiveType)) return true;
  if (typeof c.rtt === 'number' && c.rtt >= 250) return true;
  return typeof c.downlink === 'number' && c.downlink > 0 && c.downlink < WEAK_DOWNLINK_MBPS;
}

/** The browser's estimate, where it has one. */
export function browserConnection(): ConnectionEstimate | null {
  try {
    return (
      (globalThis.navigator as (Navigator & { connection?: ConnectionEstimate }) | undefined)
        ?.connection ?? null
    );
  } catch {
    return null;
  }
}

/** One request as the page's resource timing lists it. */
export interface TimedRequest {
  name: string;
  requestStart: number;
  responseStart: number;
}

/**
 * The round trip to our own server, ms, as the app's API requests measured it: the median of
 * the last ones, request sent → first byte (the median, not the fastest: a response from a
 * cache or answered inside the page takes no round trip at all). The browser's network
 * estimate ignores requests to private addresses — a hospital's server on its own network, or a
 * link emulator on this machine — so a commune on its first session, with no memory yet, is
 * judged by this too. Null under three measured requests.
 */
export function apiRoundTripMs(requests: TimedRequest[], origin: string): number | null {
  const times = requests
    .filter((r) => r.name.startsWith(`${origin}/api/`) && r.requestStart > 0)
    .slice(-20)
    .map((r) => r.responseStart - r.requestStart)
    .filter((t) => t >= 0)
    .sort((a, b) => a - b);
  return times.length >= 3 ? times[Math.floor(times.length / 2)]! : null;
}

/** One download as the page's resource timing lists it (transferSize 0: from the cache). */
export interface TimedDownload {
  responseStart: number;
  responseEnd: number;
  transferSize: number;
}

/** Downloads smaller than this measure the round trip more than the line's rate. */
const MEASURED_DOWNLOAD_BYTES = 16_384;
/** Under this many bytes of them in all the figure is too rough to act on. */
const MEASURED_TOTAL_BYTES = 65_536;

/**
 * What the line carried while the page fetched its own code over the network, kbit/s: the bytes
 * of the larger downloads over the time any of them was arriving (parallel downloads share the
 * line, so their spans are merged, not added). On a commune's first visit the app's bundles
 * cross its 3G line at the line's rate; a site with no memory of its line yet can then start its
 * media under that rate instead of at a guess above it. Null when the code came from the cache.
 */
export function pageDownlinkKbps(downloads: TimedDownload[]): number | null {
  const big = downloads
    .filter((d) => d.transferSize >= MEASURED_DOWNLOAD_BYTES && d.responseEnd > d.responseStart)
    .sort((a, b) => a.responseStart - b.responseStart);
  const bytes = big.reduce((sum, d) => sum + d.transferSize, 0);
  if (bytes < MEASURED_TOTAL_BYTES) return null;
  let busyMs = 0;
  let span: { from: number; to: number } | null = null;
  for (const d of big) {
    if (span && d.responseStart <= span.to) span.to = Math.max(span.to, d.responseEnd);
    else {
      if (span) busyMs += span.to - span.from;
      span = { from: d.responseStart, to: d.responseEnd };
    }
  }
  busyMs += span!.to - span!.from;
  return Math.round((bytes * 8) / busyMs); // bits per ms = kbit/s
}

/** The page's own measures (apiRoundTripMs, pageDownlinkKbps) as an estimate for lineLooksWeak. */
export function pageConnection(): ConnectionEstimate | null {
  try {
    const entries = performance.getEntriesByType('resource') as unknown as (TimedRequest &
      TimedDownload)[];
    const rtt = apiRoundTripMs(entries, location.origin);
    const kbps = pageDownlinkKbps(entries);
    if (rtt === null && kbps === null) return null;
    return {
      ...(rtt === null ? {} : { rtt }),
      ...(kbps === null ? {} : { downlink: kbps / 1000 }),
    };
  } catch {
    return null;
  }
}

/**
 * What a site with no memory of its line asks of the SFU at join (bit/s): the same share of what
 * the page's downloads measured as a remembered session's, on a line that measured weak. The SFU
 * starts its estimate at the lower of this and its weak start (on a 128k line the weak start
 * would overfill it; on 256k it fits), and keeps the floor under its estimate below the rate it
 * implies — a floor with the line unknown must climb slowly from the estimate, and on 256k that
 * took most of the first half minute. Not asked on a line that measured fast.
 */
export function pageStartBitrate(c: ConnectionEstimate | null): number | undefined {
  const mbps = c?.downlink;
  if (!mbps || mbps >= WEAK_DOWNLINK_MBPS) return undefined;
  return Math.round(mbps * START_SHARE * 1_000_000);
}
