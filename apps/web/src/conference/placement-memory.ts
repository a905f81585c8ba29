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

const CAPABILITIES_KEY = 'caunoi.sfu.routerCapabilities';

/**
 * The router capabilities the SFU node gave at the last join there. With them the Device is
 * loaded before the connection and the join goes in the handshake (`auth.join`): one round trip
 * less on a 300–800 ms line. The SFU checks them by their digest and sends its own when they
 * changed, so a stale entry costs only the round trip it meant to save.
 */
export function rememberedCapabilities<T extends { codecs?: unknown[] }>(
  place: Placement,
  store: Pick<Storage, 'getItem'> | null = storage(),
): T | null {
  try {
    const raw = store?.getItem(CAPABILITIES_KEY);
    if (!raw) return null;
    const kept = JSON.parse(raw) as { place?: Placement; caps?: T };
    if (!kept?.place || typeof kept.place.sfuUrl !== 'string' || !samePlacement(kept.place, place))
      return null;
    return Array.isArray(kept.caps?.codecs) ? kept.caps : null;
  } catch {
    return null;
  }
}

export function rememberCapabilities(
  place: Placement,
  caps: unknown,
  store: Pick<Storage, 'setItem'> | null = storage(),
): void {
  try {
    const at = { sfuUrl: place.sfuUrl, sfuPath: place.sfuPath ?? null };
    store?.setItem(CAPABILITIES_KEY, JSON.stringify({ place: at, caps }));
  } catch {
    /* storage full or refused: the next join asks for them, as without memory */
  }
}
