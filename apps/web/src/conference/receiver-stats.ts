import type { types as ms } from 'mediasoup-client';
import type { ReceiverStat } from './types';

/**
 * What arrives on each consumer (its inbound-rtp report): bytes, packets, frames, jitter and
 * audio energy. One reading serves the quality grading, the link policy and the diagnostics hook
 * the end-to-end tests poll. A consumer closed while it is read is skipped, not thrown: the
 * readers run on a timer and would otherwise fail whenever a remote site leaves.
 */
export async function readReceiverStats(
  consumers: Map<string, { consumer: ms.Consumer; peerId: string }>,
): Promise<Map<string, ReceiverStat>> {
  const out = new Map<string, ReceiverStat>();
  for (const [consumerId, c] of consumers) {
    let report: RTCStatsReport;
    try {
      report = await c.consumer.getStats();
    } catch {
      continue;
    }
    report.forEach((s: Record<string, unknown> & { type: string }) => {
      if (s.type !== 'inbound-rtp') return;
      const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
      out.set(consumerId, {
        consumerId,
        peerId: c.peerId,
        kind: c.consumer.kind,
        bytesReceived: n('bytesReceived') ?? 0,
        packetsReceived: n('packetsReceived') ?? 0,
        packetsLost: n('packetsLost') ?? 0,
        jitter: n('jitter'),
        framesDecoded: n('framesDecoded'),
        frameWidth: n('frameWidth'),
        frameHeight: n('frameHeight'),
        totalAudioEnergy: n('totalAudioEnergy'),
        concealedSamples: n('concealedSamples'),
        totalSamplesReceived: n('totalSamplesReceived'),
        jitterBufferDelay: n('jitterBufferDelay'),
        jitterBufferEmittedCount: n('jitterBufferEmittedCount'),
        nackCount: n('nackCount'),
        packetsDiscarded: n('packetsDiscarded'),
        jitterBufferTargetDelay: n('jitterBufferTargetDelay'),
      });
    });
  }
  return out;
}
