/**
 * Code the next screens need, fetched before they are asked for. On a commune's 256 kbit/s line
 * the room's code (≈ 80 kB compressed with mediasoup-client) is ≈ 2.5 s of bytes, and lazy
 * routes load one after the other (the signed-in shell after the silent sign-in, the room after
 * the shell): fetched at the click, it sat between the click and the first voice. Hashed assets
 * are cached for good (immutable), so a chunk fetched once on any page serves every later visit.
 */
import { allTexts } from '../i18n';

type Loader<T> = () => Promise<T>;

/** One import per chunk for the whole page: the route's `lazy()` and the prefetch share it. */
export function once<T>(load: Loader<T>): Loader<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load().catch((err: unknown) => {
      // A failed fetch (line down) must not stick: the route asks again when it is shown.
      pending = null;
      throw err;
    });
    return pending;
  };
}

/** The signed-in shell and the room, shared with App's routes. Every screen of the shell shows
 * texts the first load does not hold: the shell waits for them with its code. */
export const loadLayout = once(
  async () => (await Promise.all([import('./Layout'), allTexts()]))[0],
);
export const loadSessionRoom = once(() => import('../features/sessions/SessionRoomPage'));

/** Runs `work` when the page is idle (after what the screen itself needs), or soon where the
 * browser has no idle callback (Safari). */
export function whenIdle(work: () => void, timeoutMs = 3_000): void {
  const w = globalThis as typeof globalThis & {
    requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number;
  };
  if (w.requestIdleCallback) w.requestIdleCallback(work, { timeout: timeoutMs });
  else setTimeout(work, 1_000);
}

/**
 * At page load, before the silent sign-in answers: a signed-in browser will need the shell, and a
 * room's address will need the room — fetch them now, side by side with the sign-in, instead of
 * one after the other once it answered.
 */
export function prefetchForAddress(pathname: string, signedIn: boolean): void {
  if (!signedIn || pathname.startsWith('/login')) return;
  void loadLayout().catch(() => undefined);
  if (/^\/sessions\/[^/]+/.test(pathname)) void loadSessionRoom().catch(() => undefined);
}

/**
 * The sign-in page, once it is shown and idle: typing an e-mail and a password takes seconds in
 * which a 256 kbit/s line carries the shell and the room (≈ 100 kB compressed), so the first
 * screen after signing in and the room after it come without waiting. The sign-in page itself
 * (its own goal: ≤ 5 s) loads none of it.
 */
export function prefetchWhileSigningIn(): void {
  whenIdle(() => {
    void loadLayout().catch(() => undefined);
    void loadSessionRoom().catch(() => undefined);
  });
}

/** Once a signed-in screen is shown: the room's code, at idle time, so "join" downloads no code. */
export function prefetchRoomWhenIdle(): void {
  whenIdle(() => void loadSessionRoom().catch(() => undefined));
}
