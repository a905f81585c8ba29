import { START_BITRATE_SHARE, WEAK_LINK_START_BITRATE } from '@caunoi/shared';
import {
  initialOutgoingBitrateFor,
  MIN_ASKED_START_BITRATE,
  outgoingCeilingFor,
  receivingLineFacts,
} from './transport-factory';

describe('initialOutgoingBitrateFor (where the estimate towards a peer starts)', () => {
  it('keeps the configured start for a peer that says nothing of its line', () => {
    expect(initialOutgoingBitrateFor(300_000)).toBe(300_000);
    expect(initialOutgoingBitrateFor(300_000, { weakLink: false })).toBe(300_000);
  });

  it('starts a weak line low, and lower still where its last session measured less', () => {
    expect(initialOutgoingBitrateFor(300_000, { weakLink: true })).toBe(WEAK_LINK_START_BITRATE);
    // A 128 kbit/s line that carried ≈ 130 last time: 70 % of it, under the weak start.
    expect(initialOutgoingBitrateFor(300_000, { weakLink: true, startBitrate: 91_000 })).toBe(
      91_000,
    );
  });

  it('never lets a client raise the start, nor ask for one too low to carry a key frame', () => {
    expect(initialOutgoingBitrateFor(300_000, { startBitrate: 2_000_000 })).toBe(300_000);
    expect(initialOutgoingBitrateFor(300_000, { weakLink: true, startBitrate: 400_000 })).toBe(
      WEAK_LINK_START_BITRATE,
    );
    expect(initialOutgoingBitrateFor(300_000, { startBitrate: 1_000 })).toBe(
      MIN_ASKED_START_BITRATE,
    );
  });
});

describe('outgoingCeilingFor (the most mediasoup may estimate towards a peer)', () => {
  it('is the operator maximum and what the line is known to carry, whichever is lower', () => {
    expect(outgoingCeilingFor(undefined)).toBe(0); // none
    expect(outgoingCeilingFor(0, undefined)).toBe(0);
    expect(outgoingCeilingFor(2_000_000)).toBe(2_000_000);
    // 256k measured at 255 kbit/s: the estimate cannot overshoot the line.
    expect(outgoingCeilingFor(undefined, 255_000)).toBe(255_000);
    expect(outgoingCeilingFor(200_000, 255_000)).toBe(200_000);
    // Never under what mediasoup accepts.
    expect(outgoingCeilingFor(undefined, 1_429)).toBe(30_000);
  });
});

describe('receivingLineFacts (what a transport towards a peer keeps of its line)', () => {
  it('keeps the line carried, its round trip and the operator maximum on a receive transport', () => {
    expect(receivingLineFacts('recv', { startBitrate: 90_000, lineRttMs: 310 }, 2_000_000)).toEqual(
      {
        maxOutgoingBitrate: 2_000_000,
        carriedBps: Math.round(90_000 / START_BITRATE_SHARE),
        lineRttMs: 310,
      },
    );
    // A line the client said nothing of: only the operator's maximum, if any.
    expect(receivingLineFacts('recv', { weakLink: true }, undefined)).toEqual({});
    expect(receivingLineFacts('recv', undefined, 500_000)).toEqual({ maxOutgoingBitrate: 500_000 });
  });

  it('keeps nothing on a send transport (the peer sends; its own estimate governs)', () => {
    expect(receivingLineFacts('send', { startBitrate: 90_000, lineRttMs: 310 }, 2_000_000)).toEqual(
      {},
    );
  });
});
