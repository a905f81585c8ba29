import { useEffect, useState } from 'react';

/** How long an unanswered ring keeps sounding; the banner stays after it stops. */
const RING_FOR_MS = 60_000;
const RING_EVERY_MS = 2_000;

/** One ring: two short tones, like a phone, synthesised (no audio file to download on 3G). */
function ringOnce(ctx: AudioContext): void {
  const t0 = ctx.currentTime;
  [880, 660, 880, 660].forEach((freq, i) => {
    const start = t0 + i * 0.18;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.16);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.17);
  });
}

/**
 * Rings through the Web Audio API while `on`, every 2 s for at most a minute. Returns how many
 * rings sounded (the page shows it as `data-rings`, which is also how a test sees the ring).
 * A browser that blocks audio until a click leaves the context suspended; the banner still shows.
 */
export function useRing(on: boolean): number {
  const [rings, setRings] = useState(0);
  useEffect(() => {
    if (!on || typeof AudioContext === 'undefined') return;
    const ctx = new AudioContext();
    const ring = () => {
      void ctx.resume().catch(() => undefined);
      ringOnce(ctx);
      setRings((n) => n + 1);
    };
    ring();
    const timer = setInterval(ring, RING_EVERY_MS);
    const stop = setTimeout(() => clearInterval(timer), RING_FOR_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
      void ctx.close();
    };
  }, [on]);
  return rings;
}
