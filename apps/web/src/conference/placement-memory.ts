import type { JoinResponse } from '@caunoi/shared';
import { storage } from './link-memory';

/** Where a session's SFU signalling was reached: the `sfuUrl`/`sfuPath` of a join answer. */
export type Placement = Pick<JoinResponse, 'sfuUrl' | 'sfuPath'>;

const KEY = 'caunoi.sfu.lastPlacement';

/**
 * The SFU node of this device's last join, kept in localStorage. On a 300–800 ms line the
 * socket's own handshake (TCP, WebSocket upgrade) is two round trips; opening it towards the last
 * node while the join answer is still on its way saves them. Only a guess: nothing is sent over
 * it until the answer names the same node (see openSignalling).
 */
export function rememberedPlacement(
  store: Pick<Storage, 'getItem'> | null = storage(),
): Placement | null {
  try {
    const raw = store?.getItem(KEY);
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<Placement>;
    if (typeof p.sfuUrl !== 'string' || !p.sfuUrl) return null;
    return { sfuUrl: p.sfuUrl, sfuPath: typeof p.sfuPath === 'string' ? p.sfuPath : undefined };
  } catch {
    return null; // unreadable storage or a damaged entry: no guess, the join just waits
  }
}

export function rememberPlacement(
  j: Placement,
  store: Pick<Storage, 'setItem'> | null = storage(),
): void {
  try {
    store?.setItem(KEY, JSON.stringify({ sfuUrl: j.sfuUrl, sfuPath: j.sfuPath ?? null }));
  } catch {
    /* storage full or refused: the next join waits for its answer, as without memory */
  }
}

/** The same signalling endpoint (a missing path is socket.io's default). */
export function samePlacement(a: Placement, b: Placement): boolean {
  return a.sfuUrl === b.sfuUrl && (a.sfuPath ?? '/socket.io') === (b.sfuPath ?? '/socket.io');
}
