import type { TrainingState } from '@caunoi/shared';

/**
 * A training room's floor as this client sees it. The SFU enforces the rule (it refuses the
 * producers of anyone else); the client follows it so a site does not try to send in vain.
 */
export function maySend(training: TrainingState | null, selfPeerId: string | null): boolean {
  if (!training) return true;
  return (
    !!selfPeerId && (training.presenterPeerId === selfPeerId || training.floorPeerId === selfPeerId)
  );
}

export function handRaised(training: TrainingState | null, selfPeerId: string | null): boolean {
  return !!training?.hands.some((h) => h.peerId === selfPeerId);
}
