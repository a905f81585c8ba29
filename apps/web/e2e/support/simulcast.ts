/**
 * What a page's camera sender really puts on the wire, layer by layer, read from the browser's
 * own statistics. Needs the page's peer connections kept reachable (`keepPeerConnections`).
 */
import type { Page } from 'playwright-core';

export interface SentLayer {
  rid: string;
  framesEncoded: number;
  frameWidth: number;
  /** The browser's own reason for sending less than asked: 'cpu', 'bandwidth', 'other', 'none'. */
  qualityLimitationReason: string;
}

/** Before the page loads: every RTCPeerConnection it makes stays reachable as `window.__pcs`. */
export async function keepPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Original = window.RTCPeerConnection;
    const all: RTCPeerConnection[] = [];
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = all;
    window.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        all.push(this);
      }
    };
  });
}

/** The video layers the page sends (outbound RTP with a rid), sorted by rid. */
export async function sentVideoLayers(page: Page): Promise<SentLayer[]> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
    const layers: SentLayer[] = [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'outbound-rtp' && r.kind === 'video' && r.rid)
          layers.push({
            rid: r.rid,
            framesEncoded: r.framesEncoded ?? 0,
            frameWidth: r.frameWidth ?? 0,
            qualityLimitationReason: r.qualityLimitationReason ?? 'none',
          });
      });
    }
    return layers.sort((a, b) => a.rid.localeCompare(b.rid));
  });
}

/**
 * Whether every asked layer is on the wire. A layer may be missing only where the browser says
 * why: its own adaptation to a busy CPU or a still-ramping estimate, which turns the top layer
 * off whatever the application asked — a loaded test machine is not the application's fault.
 * Layers that are not even negotiated, or missing without a reason, are never excused.
 */
export function allLayersSent(
  layers: SentLayer[],
  rids: string[],
): { ok: boolean; excused: string[] } {
  if (layers.map((l) => l.rid).join() !== rids.join()) return { ok: false, excused: [] };
  const silent = layers.filter((l) => l.framesEncoded === 0);
  const limited = layers.some((l) => l.qualityLimitationReason !== 'none');
  // The lowest layer is never turned off by adaptation: it must always be sent.
  if (silent.some((l) => l.rid === rids[0])) return { ok: false, excused: [] };
  if (silent.length > 0 && !limited) return { ok: false, excused: [] };
  return { ok: true, excused: silent.map((l) => l.rid) };
}
