import type { LinkMode } from './link-policy';

const KEY = 'caunoi.link.lastVerdict';

/**
 * What this device's last session found of its line, kept in localStorage: a site that was weak
 * yesterday is very likely weak today, and starting its estimates low (the SFU's towards it, the
 * camera's own) avoids overfilling the line in the first seconds, when the loss that follows
 * would pin the estimate down for long after. A session that stays normal clears it.
 */
export class LinkMemory {
  private worst: LinkMode = 'normal';

  constructor(private readonly store: Pick<Storage, 'getItem' | 'setItem'> | null = storage()) {}

  /** The last session's verdict was weak (or critical). */
  get weakBefore(): boolean {
    try {
      return this.store?.getItem(KEY) === 'weak';
    } catch {
      return false;
    }
  }

  /** Each verdict of this session; a weak one is remembered at once (the tab may just close). */
  observe(mode: LinkMode): void {
    if (mode === 'normal' || this.worst !== 'normal') return;
    this.worst = mode;
    this.save('weak');
  }

  /** The session ended: remember how it went. */
  end(): void {
    this.save(this.worst === 'normal' ? 'normal' : 'weak');
  }

  private save(value: 'weak' | 'normal'): void {
    try {
      this.store?.setItem(KEY, value);
    } catch {
      /* storage full or refused: nothing remembered */
    }
  }
}

function storage(): Storage | null {
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

/**
 * Whether the browser already sees a weak line before the room is entered: its estimate from the
 * page's own requests says 3G or worse, ≥ 250 ms round trips or under 0.6 Mbit/s. A site on its
 * first session has no memory yet; this lets it start low too. Absent estimate: not weak.
 */
export function lineLooksWeak(c: ConnectionEstimate | null | undefined): boolean {
  if (!c) return false;
  if (c.effectiveType && ['slow-2g', '2g', '3g'].includes(c.effectiveType)) return true;
  if (typeof c.rtt === 'number' && c.rtt >= 250) return true;
  return typeof c.downlink === 'number' && c.downlink > 0 && c.downlink < 0.6;
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
