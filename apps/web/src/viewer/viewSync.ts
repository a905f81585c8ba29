import type { ViewState } from '@caunoi/shared';

export const DEFAULT_VIEW: ViewState = {
  attachmentId: null,
  page: 1,
  zoom: 1,
  pan: { x: 0, y: 0 },
  windowLevel: null,
  pointer: null,
};

/** Clamp a view to the contract's bounds before sending it. */
export function clampView(v: ViewState): ViewState {
  const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
  return {
    attachmentId: v.attachmentId,
    page: clamp(Math.round(v.page), 1, 10000),
    zoom: clamp(v.zoom, 0.05, 40),
    pan: { x: clamp(v.pan.x, -1e5, 1e5), y: clamp(v.pan.y, -1e5, 1e5) },
    windowLevel: v.windowLevel
      ? {
          center: clamp(v.windowLevel.center, -1e5, 1e5),
          width: clamp(v.windowLevel.width, 1, 1e6),
        }
      : null,
    pointer: v.pointer ? { x: clamp(v.pointer.x, 0, 1), y: clamp(v.pointer.y, 0, 1) } : null,
    ...(v.slice === undefined ? {} : { slice: clamp(Math.round(v.slice), 0, 9999) }),
  };
}

/**
 * Leading + trailing throttle: the first change goes at once, then at most one per `ms`, and the
 * last one always goes (so followers end where the presenter stopped). Keeps us under the
 * gateway's events-per-second limit while the presenter drags.
 */
export function throttle<T>(
  fn: (v: T) => void,
  ms: number,
): { push: (v: T) => void; cancel: () => void } {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: { v: T } | null = null;
  const fire = () => {
    timer = null;
    if (!pending) return;
    last = Date.now();
    const { v } = pending;
    pending = null;
    fn(v);
  };
  return {
    push(v: T) {
      pending = { v };
      const wait = ms - (Date.now() - last);
      if (wait <= 0 && !timer) fire();
      else if (!timer) timer = setTimeout(fire, Math.max(0, wait));
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
