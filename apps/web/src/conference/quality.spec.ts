import { qualityFromSamples, qualityFromScore, worst } from './quality';

describe('connection quality', () => {
  it('is unknown until two samples exist', () => {
    expect(qualityFromSamples(undefined, { packetsReceived: 10, packetsLost: 0 })).toBe('unknown');
  });
  it('grades by loss and jitter', () => {
    expect(
      qualityFromSamples(
        { packetsReceived: 100, packetsLost: 0 },
        { packetsReceived: 200, packetsLost: 0, jitter: 0.01 },
      ),
    ).toBe('good');
    expect(
      qualityFromSamples(
        { packetsReceived: 100, packetsLost: 0 },
        { packetsReceived: 195, packetsLost: 5 },
      ),
    ).toBe('fair');
    expect(
      qualityFromSamples(
        { packetsReceived: 100, packetsLost: 0 },
        { packetsReceived: 180, packetsLost: 20 },
      ),
    ).toBe('poor');
    expect(
      qualityFromSamples(
        { packetsReceived: 100, packetsLost: 0 },
        { packetsReceived: 200, packetsLost: 0, jitter: 0.2 },
      ),
    ).toBe('poor');
    expect(
      qualityFromSamples(
        { packetsReceived: 100, packetsLost: 0 },
        { packetsReceived: 100, packetsLost: 0 },
      ),
    ).toBe('poor');
  });
  it('maps SFU scores and takes the worst reading', () => {
    expect(qualityFromScore(10)).toBe('good');
    expect(qualityFromScore(6)).toBe('fair');
    expect(qualityFromScore(2)).toBe('poor');
    expect(worst('good', 'fair', 'unknown')).toBe('fair');
    expect(worst()).toBe('unknown');
  });
});
