import type { TrainingState } from '@caunoi/shared';
import { handRaised, maySend } from './training';

const state = (over: Partial<TrainingState> = {}): TrainingState => ({
  presenterPeerId: 'presenter',
  floorPeerId: null,
  hands: [],
  participants: 3,
  maxVideos: 2,
  ...over,
});

describe('training floor (client side)', () => {
  it('outside a training room everyone sends', () => {
    expect(maySend(null, 'anyone')).toBe(true);
  });
  it('in a training room only the presenter and the floor holder send', () => {
    expect(maySend(state(), 'presenter')).toBe(true);
    expect(maySend(state(), 'site')).toBe(false);
    expect(maySend(state({ floorPeerId: 'site' }), 'site')).toBe(true);
    expect(maySend(state({ floorPeerId: 'site' }), null)).toBe(false);
  });
  it('knows whether our hand is up', () => {
    const s = state({ hands: [{ peerId: 'site', raisedAt: '2026-12-01T02:00:00Z' }] });
    expect(handRaised(s, 'site')).toBe(true);
    expect(handRaised(s, 'other')).toBe(false);
    expect(handRaised(null, 'site')).toBe(false);
  });
});
