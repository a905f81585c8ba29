import {
  chooseVideos,
  downlinkSample,
  INITIAL_LINK_STATE,
  nextLinkState,
  RECOVERY_WINDOWS,
  type DownlinkSample,
  type LinkState,
} from './link-policy';

const good: DownlinkSample = {
  audioConcealedPct: 0.5,
  lossPct: 1,
  videoFps: [15, 12],
  anything: true,
};
const lossy: DownlinkSample = { ...good, lossPct: 6 };
const frozen: DownlinkSample = { ...good, videoFps: [0.2, 0] };
const silent: DownlinkSample = { ...good, anything: false, videoFps: [] };

const run = (samples: DownlinkSample[], from: LinkState = INITIAL_LINK_STATE) =>
  samples.reduce(nextLinkState, from);

describe('link policy: the mode follows the downlink, down at once, up slowly', () => {
  it('stays normal on a good line', () => {
    expect(run([good, good, good]).mode).toBe('normal');
  });

  it('goes weak at once on loss, or on concealment or frozen video with some loss', () => {
    expect(run([good, lossy]).mode).toBe('weak');
    expect(run([{ ...good, audioConcealedPct: 4 }]).mode).toBe('weak');
    expect(run([frozen]).mode).toBe('weak');
  });

  it('does not blame the line for a busy device (concealment or freezes without loss)', () => {
    const busy = { ...good, lossPct: 0 };
    expect(run([{ ...busy, audioConcealedPct: 6 }]).mode).toBe('normal');
    expect(run([{ ...busy, videoFps: [0, 0.5] }]).mode).toBe('normal');
  });

  it('goes critical (audio only) when nothing arrives or audio is badly concealed', () => {
    expect(run([silent]).mode).toBe('critical');
    const concealed = { ...good, lossPct: 4, audioConcealedPct: 20 };
    expect(run([concealed, concealed]).mode).toBe('critical');
    const lossy25 = { ...good, lossPct: 25 };
    expect(run([lossy25, lossy25]).mode).toBe('critical');
    const voicesLost = { ...good, lossPct: 25, audioLossPct: 22 };
    expect(run([voicesLost, voicesLost]).mode).toBe('critical');
    // One such window (the first key frames crossing a 128k line at the join) is a weak line.
    expect(run([voicesLost]).mode).toBe('weak');
    expect(run([good, voicesLost, good]).mode).toBe('weak');
  });

  it('one window of heavy concealment (first key frames queued) is weak, two in a row critical', () => {
    const burst = { ...good, lossPct: 7, audioConcealedPct: 23 };
    expect(run([burst]).mode).toBe('weak');
    expect(run([burst, good]).mode).toBe('weak');
    expect(run([burst, good, burst]).mode).toBe('weak');
    expect(run([good, burst, burst]).mode).toBe('critical');
  });

  it('a key frame lost in a full queue is a weak line, not one to cut all video on', () => {
    // A third of the video's packets lost in one window, the voices nearly intact.
    expect(run([{ ...good, lossPct: 30, audioLossPct: 3 }]).mode).toBe('weak');
  });

  it('steps back up one mode only after a run of good windows', () => {
    const critical = run([silent]);
    const almost = run(Array(RECOVERY_WINDOWS - 1).fill(good), critical);
    expect(almost.mode).toBe('critical');
    const weak = nextLinkState(almost, good);
    expect(weak.mode).toBe('weak');
    expect(run(Array(RECOVERY_WINDOWS).fill(good), weak).mode).toBe('normal');
  });

  it('a bad window in the middle restarts the count', () => {
    const weak = run([lossy]);
    const s = run([...Array(RECOVERY_WINDOWS - 1).fill(good), lossy, good], weak);
    expect(s).toEqual({ mode: 'weak', goodStreak: 1, heavyBefore: false });
  });
});

describe('link policy: which videos a site receives', () => {
  const videos = [
    { peerId: 'a', source: 'camera' as const },
    { peerId: 'b', source: 'camera' as const },
    { peerId: 'b', source: 'screen' as const },
    { peerId: 'c', source: 'camera' as const },
  ];

  it('normal: everything, best layer', () => {
    const c = chooseVideos('normal', videos, 'a');
    expect(Object.values(c).every((v) => v.receive && v.spatialLayer === 2)).toBe(true);
  });

  it('weak: the shared screen and the active speaker at the lowest spatial layer; the others as thumbnails', () => {
    expect(chooseVideos('weak', videos, 'c')).toEqual({
      'a/camera': { receive: true, spatialLayer: 0, temporalLayer: 0 },
      'b/camera': { receive: true, spatialLayer: 0, temporalLayer: 0 },
      'b/screen': { receive: true, spatialLayer: 0 },
      'c/camera': { receive: true, spatialLayer: 0 },
    });
  });

  it('weak: a thumbnail the line starves is paused (shown as such), never the speaker or the screen', () => {
    const starved = videos.map((v) => ({ ...v, starved: true }));
    expect(chooseVideos('weak', starved, 'c')).toEqual({
      'a/camera': { receive: false, spatialLayer: 0, temporalLayer: 0 },
      'b/camera': { receive: false, spatialLayer: 0, temporalLayer: 0 },
      'b/screen': { receive: true, spatialLayer: 0 },
      'c/camera': { receive: true, spatialLayer: 0 },
    });
  });

  it('weak without a known speaker keeps one camera at full frame rate rather than none', () => {
    const c = chooseVideos('weak', videos, null);
    const full = Object.entries(c).filter(
      ([k, v]) => k.endsWith('camera') && v.receive && v.temporalLayer === undefined,
    );
    expect(full).toHaveLength(1);
  });

  it('critical or audio-only: no video at all', () => {
    for (const c of [
      chooseVideos('critical', videos, 'a'),
      chooseVideos('normal', videos, 'a', true),
    ])
      expect(Object.values(c).some((v) => v.receive)).toBe(false);
  });
});

describe('link policy: a window from cumulative counters', () => {
  it('computes concealment, loss and fps per video, skipping videos that just started', () => {
    const s = downlinkSample(
      { concealed: 100, samples: 48_000, lost: 10, received: 990, frames: { v1: 100 } },
      { concealed: 580, samples: 144_000, lost: 40, received: 1_960, frames: { v1: 130, v2: 5 } },
      2,
    );
    expect(s.audioConcealedPct).toBeCloseTo(0.5, 5);
    expect(s.lossPct).toBeCloseTo(3, 5);
    expect(s.videoFps).toEqual([15]);
    expect(s.anything).toBe(true);
  });
  it("counts the voices' loss apart from the video's", () => {
    const base = { concealed: 0, samples: 0, frames: {} };
    const s = downlinkSample(
      { ...base, lost: 0, received: 0, audioLost: 0, audioReceived: 0 },
      // 300 packets lost of 1 000, of which 3 of the voices' 100.
      { ...base, lost: 300, received: 700, audioLost: 3, audioReceived: 97 },
      2,
    );
    expect(s.lossPct).toBeCloseTo(30, 5);
    expect(s.audioLossPct).toBeCloseTo(3, 5);
  });
});

describe('holding the camera back on a weak uplink', () => {
  // Imported here to keep one spec for the policy's pure parts.
  const { holdCamera } = jest.requireActual('./link-control') as typeof import('./link-control');

  it('holds it below 80 kbit/s and releases it only from 150', () => {
    expect(holdCamera(700, false)).toBe(false);
    expect(holdCamera(100, false)).toBe(false);
    expect(holdCamera(60, false)).toBe(true);
    expect(holdCamera(120, true)).toBe(true);
    expect(holdCamera(160, true)).toBe(false);
    expect(holdCamera(null, true)).toBe(true);
  });
});
