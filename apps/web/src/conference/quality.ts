/** Per-participant link quality from receiver statistics (and the SFU's score, when sent). */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export interface RtpSample {
  packetsReceived: number;
  packetsLost: number;
  jitter?: number; // seconds
  /** NACKs the receiver sent (retransmissions asked for). */
  nackCount?: number;
}

/** Packets received and lost between two samples of one stream. */
export function packetsBetween(
  prev: RtpSample,
  next: RtpSample,
): { received: number; lost: number } {
  return {
    received: next.packetsReceived - prev.packetsReceived,
    lost: Math.max(0, next.packetsLost - prev.packetsLost),
  };
}

/** Quality from two successive inbound-rtp samples of one stream. */
export function qualityFromSamples(prev: RtpSample | undefined, next: RtpSample): Quality {
  if (!prev) return 'unknown';
  const { received, lost } = packetsBetween(prev, next);
  const total = received + lost;
  if (total <= 0) return received === 0 && next.packetsReceived > 0 ? 'poor' : 'unknown';
  const loss = lost / total;
  const jitterMs = (next.jitter ?? 0) * 1000;
  if (loss > 0.1 || jitterMs > 100) return 'poor';
  if (loss > 0.02 || jitterMs > 40) return 'fair';
  return 'good';
}

/** mediasoup consumer score (0..10) to a quality. */
export function qualityFromScore(score: number): Quality {
  if (score >= 8) return 'good';
  if (score >= 5) return 'fair';
  return 'poor';
}

const RANK: Record<Quality, number> = { poor: 0, fair: 1, good: 2, unknown: 3 };

/** The worse of several readings (unknown only if all are unknown). */
export function worst(...qs: Quality[]): Quality {
  return qs.reduce<Quality>((a, b) => (RANK[b] < RANK[a] ? b : a), 'unknown');
}
