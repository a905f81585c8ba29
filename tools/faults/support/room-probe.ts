// What a clinician's page shows during a failover, read from the page itself: every
// RTCPeerConnection the web app opens (with the moment it was opened, to tell the connections to
// the new node from those to the dead one), their decoded video frames, and whether the
// reconnecting banner was shown and the page was never reloaded.
import type { Page } from 'playwright-core';

interface Probe {
  pcs: { pc: RTCPeerConnection; openedAt: number }[];
  bannerAt: number[];
  loadedAt: number;
}
type ProbeWindow = Window & { __probe: Probe };

/** Installs the probe before the page's own scripts run (so the app's connections are seen). */
export async function installProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: Probe = { pcs: [], bannerAt: [], loadedAt: Date.now() };
    (window as unknown as ProbeWindow).__probe = probe;
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
      constructor(config?: RTCConfiguration) {
        super(config);
        probe.pcs.push({ pc: this, openedAt: Date.now() });
      }
    };
    // The banner may come and go between two polls: an observer records every appearance.
    document.addEventListener('DOMContentLoaded', () =>
      new MutationObserver(() => {
        const banner = document.querySelector('.banner');
        if (banner?.textContent?.includes('Đang kết nối lại')) probe.bannerAt.push(Date.now());
      }).observe(document.body, { childList: true, subtree: true, characterData: true }),
    );
  });
}

/** Video frames decoded so far on the connections opened after `since` (ms, this clock). */
export function framesDecodedSince(page: Page, since: number): Promise<number> {
  return page.evaluate(async (t) => {
    let frames = 0;
    for (const { pc, openedAt } of (window as unknown as ProbeWindow).__probe.pcs) {
      if (openedAt < t || pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded ?? 0;
      });
    }
    return frames;
  }, since);
}

/** When the reconnecting banner was first shown after `since`, and when the page was loaded. */
export function pageHistory(page: Page, since: number) {
  return page.evaluate((t) => {
    const p = (window as unknown as ProbeWindow).__probe;
    return { bannerAt: p.bannerAt.find((b) => b >= t) ?? null, loadedAt: p.loadedAt };
  }, since);
}
