import type { ResumeResult } from '@caunoi/shared';

export interface LocalMedia {
  selfPeerId: string | null;
  sendTransportId: string | null;
  recvTransportId: string | null;
  consumerIds: string[];
}

export type ResumePlan = { keep: true; dropConsumers: string[] } | { keep: false };

/**
 * After the signalling socket reconnected: may the client keep its media? Only when the SFU
 * still holds this very peer with both of our transports DTLS-connected (ICE recovers by itself
 * or with restartIce); then the consumers the SFU no longer has are dropped and everything else
 * stays — no second audio dropout from a rebuild. Anything else (an SFU without `resume`, media
 * dropped after a worker restart, other transport ids) means the full join flow.
 */
export function planResume(local: LocalMedia, answer: ResumeResult | null): ResumePlan {
  if (!answer?.media || !local.selfPeerId || answer.peerId !== local.selfPeerId)
    return { keep: false };
  const connected = (id: string | null) =>
    !!id && answer.transports.some((t) => t.id === id && t.dtlsState === 'connected');
  if (!connected(local.sendTransportId) || !connected(local.recvTransportId))
    return { keep: false };
  const held = new Set(answer.consumers.map((c) => c.id));
  return { keep: true, dropConsumers: local.consumerIds.filter((id) => !held.has(id)) };
}
