// The weak-link benchmark judges "no second dropout after an outage" from these functions: a
// sampling pause on a busy machine must not count as a dropout, a real one must.
import { audioIntervals, recoveryFrom } from '../../bench/lowband/recovery.mjs';

const HZ = 48_000;

/** A page's samples of one voice: at each time (ms), its cumulative counters. */
function voice(points: [at: number, packets: number, playedMs: number, concealedMs: number][]) {
  return points.map(([at, packets, playedMs, concealedMs]) => ({
    at,
    stats: [
      {
        consumerId: 'c1',
        peerId: 'p1',
        kind: 'audio',
        packetsReceived: packets,
        totalSamplesReceived: (playedMs * HZ) / 1000,
        concealedSamples: (concealedMs * HZ) / 1000,
      },
    ],
  }));
}

describe('outage recovery (bench/lowband/recovery.mjs)', () => {
  it('per interval: packets too late to play, and the playout delay the buffer aimed at', () => {
    const at = (t: number, emitted: number, targetS: number, discarded: number) => ({
      at: t,
      stats: [
        {
          consumerId: 'c1',
          peerId: 'p1',
          kind: 'audio',
          packetsReceived: emitted / 960,
          jitterBufferEmittedCount: emitted,
          jitterBufferTargetDelay: targetS,
          packetsDiscarded: discarded,
        },
      ],
    });
    // 9600 samples emitted while the target summed 4320 s (0.45 s per sample). Then none emitted.
    const iv = audioIntervals([at(0, 0, 0, 0), at(200, 9600, 4320, 3), at(400, 9600, 4320, 5)]);
    expect(
      iv.map((i: { discarded: number; targetMs: number | null }) => [i.discarded, i.targetMs]),
    ).toEqual([
      [3, 450],
      [2, null],
    ]);
  });

  it('a second without samples while the voice played on is not a dropout', () => {
    const series = voice([
      [0, 100, 10_000, 10_000], // during the outage: all concealed so far
      [200, 105, 10_200, 10_150], // back: packets arrive
      [400, 115, 10_400, 10_150],
      [1_500, 170, 11_500, 10_160], // 1.1 s between two samples, 1.1 s heard
      [1_700, 180, 11_700, 10_160],
    ]);
    const r = recoveryFrom(audioIntervals(series), 0);
    expect(r.audioBackMs).toBe(200);
    expect(r.secondDropoutMs).toBe(0);
    expect(r.sampleGapMs).toBe(1_100);
  });

  it('1.2 s concealed after the audio came back is a second dropout, measured in concealed time', () => {
    const points: [number, number, number, number][] = [
      [0, 100, 10_000, 10_000],
      [200, 105, 10_200, 10_150],
      [400, 115, 10_400, 10_150],
    ];
    // Six intervals of 200 ms in which nothing arrives and the decoder invents all of it.
    for (let i = 1; i <= 6; i++)
      points.push([400 + 200 * i, 115, 10_400 + 200 * i, 10_150 + 200 * i]);
    points.push([1_800, 125, 11_800, 11_350]);
    const r = recoveryFrom(audioIntervals(voice(points)), 0);
    expect(r.audioBackMs).toBe(200);
    expect(r.secondDropoutMs).toBe(1_200);
    expect(r.secondDropoutAt).toBe(400);
  });

  it('a gap the buffer plays through (no packets, little concealed) is not a dropout', () => {
    const points: [number, number, number, number][] = [
      [0, 100, 10_000, 10_000],
      [200, 110, 10_200, 10_100],
    ];
    for (let i = 1; i <= 7; i++)
      points.push([200 + 200 * i, 110, 10_200 + 200 * i, 10_100 + 10 * i]);
    const r = recoveryFrom(audioIntervals(voice(points)), 0);
    expect(r.secondDropoutMs).toBe(0);
  });

  it('without playout figures the packets decide; a rebuilt room (new consumer) counts as audio', () => {
    const series = [
      { at: 0, stats: [{ consumerId: 'old', peerId: 'p1', kind: 'audio', packetsReceived: 50 }] },
      { at: 300, stats: [{ consumerId: 'old', peerId: 'p1', kind: 'audio', packetsReceived: 60 }] },
      {
        at: 1_600,
        stats: [{ consumerId: 'old', peerId: 'p1', kind: 'audio', packetsReceived: 60 }],
      },
      {
        at: 1_800,
        stats: [{ consumerId: 'new', peerId: 'p1', kind: 'audio', packetsReceived: 9 }],
      },
    ];
    const r = recoveryFrom(audioIntervals(series), 0);
    expect(r.audioBackMs).toBe(300);
    expect(r.secondDropoutMs).toBe(1_300);
  });

  it('the voices of ignored peers do not count', () => {
    const series = [
      { at: 0, stats: [{ consumerId: 'x', peerId: 'other', kind: 'audio', packetsReceived: 0 }] },
      {
        at: 200,
        stats: [{ consumerId: 'x', peerId: 'other', kind: 'audio', packetsReceived: 20 }],
      },
    ];
    expect(recoveryFrom(audioIntervals(series, ['other']), 0).audioBackMs).toBeNull();
    expect(recoveryFrom(audioIntervals(series), 0).audioBackMs).toBe(200);
  });
});
