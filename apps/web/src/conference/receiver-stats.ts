import type { types as ms } from 'mediasoup-client';
import type { ReceiverStat } from './types';

/** Receiver statistics for diagnostics (and the end-to-end tests): bytes, frames and audio energy per consumer. */
export async function receiverStats(
  consumers: Map<string, { consumer: ms.Consumer; peerId: string }>,
): Promise<ReceiverStat[]> {
  const out: ReceiverStat[] = [];
  for (const [consumerId, c] of consumers) {
    const report = await c.consumer.getStats();
    report.forEach((s: Record<string, unknown> & { type: string }) => {
      if (s.type !== 'inbound-rtp') return;
      const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
      out.push({
        consumerId,
        peerId: c.peerId,
        kind: c.consumer.kind,
        bytesReceived: n('bytesReceived') ?? 0,
        packetsReceived: n('packetsReceived') ?? 0,
        packetsLost: n('packetsLost') ?? 0,
        framesDecoded: n('framesDecoded'),
        frameWidth: n('frameWidth'),
        frameHeight: n('frameHeight'),
        totalAudioEnergy: n('totalAudioEnergy'),
        concealedSamples: n('concealedSamples'),
        totalSamplesReceived: n('totalSamplesReceived'),
      });
    });
  }
  return out;
}
