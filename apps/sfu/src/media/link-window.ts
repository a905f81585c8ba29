import type { types } from 'mediasoup';
import type { LinkWindow } from './loss-floor';

/** Cumulative counters of a receive transport's consumers at the previous window. */
export interface LinkCounters {
  sent: number;
  lost: number;
}

/**
 * What the receiver's reports (RTCP RR) say about one receive transport over the last window:
 * the round trip (median over its streams), the loss (packets it reported lost over packets sent
 * since the previous window, every stream together — one voice's 25 packets a second are too few
 * to tell 5 % from 12 %) and the lowest score of its voices.
 */
export async function readLinkWindow(
  consumers: types.Consumer[],
  estimateBps: number,
  previous: LinkCounters | undefined,
): Promise<{ window: LinkWindow; counters: LinkCounters }> {
  const rtts: number[] = [];
  const scores: number[] = [];
  let sent = 0;
  let lost = 0;
  for (const c of consumers) {
    const stats = await c.getStats().catch(() => []);
    for (const s of stats) {
      if (s.type !== 'outbound-rtp') continue;
      sent += s.packetCount ?? 0;
      lost += s.packetsLost ?? 0;
      if (s.roundTripTime) rtts.push(s.roundTripTime);
      if (c.kind === 'audio' && !c.paused) scores.push(s.score);
    }
  }
  rtts.sort((a, b) => a - b);
  const dSent = previous ? sent - previous.sent : 0;
  const dLost = previous ? lost - previous.lost : 0;
  return {
    window: {
      estimateBps,
      rttMs: rtts.length ? rtts[Math.floor(rtts.length / 2)]! : null,
      // A new stream or a consumer gone makes the counters step back: no figure this window.
      loss: dSent > 50 && dLost >= 0 ? Math.min(1, dLost / dSent) : null,
      audioScore: scores.length ? Math.min(...scores) : null,
    },
    counters: { sent, lost },
  };
}
