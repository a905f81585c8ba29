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
