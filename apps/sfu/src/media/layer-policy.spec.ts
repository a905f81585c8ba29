import {
  AUDIO_WIRE_BPS,
  chooseLayers,
  floorWantedBps,
  floorTarget,
  flowingBps,
  LINE_ROOM,
  lineCapBps,
  UPGRADE_MARGIN,
  type GovernedVideo,
} from './layer-policy';
import { CONSUMER_PRIORITY } from './codecs';
import { lowerLayers, producerLayers } from './layer-governor';

// The web client's camera: three simulcast layers of 100 / 300 / 900 kbit/s, three temporal.
const camera = (id: string, priority: number, previous?: GovernedVideo['previous']) => ({
  id,
  priority,
  spatialBps: [100_000, 300_000, 900_000],
  temporalLayers: 3,
  previous,
});
const pick = (m: Map<string, unknown>, id: string) => m.get(id);

describe('chooseLayers (SFU governor policy)', () => {
  it('pays for the voices first: on 256 kbit/s the speaker climbs, the other stays a thumbnail', () => {
    const out = chooseLayers(256_000, 2, [
      camera('other', CONSUMER_PRIORITY.camera),
      camera('speaker', CONSUMER_PRIORITY.speakerCamera),
    ]);
    // 256 − 72 = 184 kbit/s: both base layers (40 + 40), then the speaker up to S1T0 (120).
    expect(pick(out, 'speaker')).toEqual({ paused: false, spatialLayer: 1, temporalLayer: 0 });
    expect(pick(out, 'other')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 0 });
    // Ignoring the voices (mediasoup's own distribution) the speaker would get 75 kbit/s more.
    const blind = chooseLayers(256_000, 0, [
      camera('other', CONSUMER_PRIORITY.camera),
      camera('speaker', CONSUMER_PRIORITY.speakerCamera),
    ]);
    expect(pick(blind, 'speaker')).toEqual({ paused: false, spatialLayer: 1, temporalLayer: 1 });
  });

  it('with a 64 kbit/s lowest layer, the estimate a 256k line with loss holds gives the speaker ≥ 10 fps', () => {
    // The web client's lowest layer since it was cut for weak lines; the client asks for the
    // lowest spatial layer on a weak line, so the climb is in frame rate only.
    const low = (id: string, priority: number) => ({
      ...camera(id, priority),
      spatialBps: [64_000],
    });
    // 150 − 72 = 78 kbit/s: both base layers (25.6 + 25.6), then the speaker to T1 (41.6).
    const out = chooseLayers(150_000, 2, [
      low('other', CONSUMER_PRIORITY.camera),
      low('speaker', CONSUMER_PRIORITY.speakerCamera),
    ]);
    expect(pick(out, 'speaker')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 1 });
    expect(pick(out, 'other')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 0 });
    // At 100 kbit/s the same estimate had no room for the other site's thumbnail.
    const before = chooseLayers(150_000, 2, [
      { ...camera('other', CONSUMER_PRIORITY.camera), spatialBps: [100_000] },
      { ...camera('speaker', CONSUMER_PRIORITY.speakerCamera), spatialBps: [100_000] },
    ]);
    expect(pick(before, 'other')).toEqual({ paused: true });
  });

  it('a floor wants the voices, the speaker at every frame rate and thumbnails, never past the cap', () => {
    const videos = [
      camera('other', CONSUMER_PRIORITY.camera),
      camera('speaker', CONSUMER_PRIORITY.speakerCamera),
    ];
    // 2 × 36 + 100 × 1.25 + 40.
    expect(floorWantedBps(2, videos, Infinity)).toBe(237_000);
    // A 128 kbit/s line that carried 115 kbit/s last time: the floor stays under it.
    expect(floorWantedBps(2, videos, 115_000)).toBe(115_000);
    expect(floorWantedBps(2, [], Infinity)).toBe(0);
  });

  it('what flows whatever the estimate: the voices and the first video at its lowest step', () => {
    const videos = [
      camera('other', CONSUMER_PRIORITY.camera),
      camera('speaker', CONSUMER_PRIORITY.speakerCamera),
    ];
    // 2 × 36 + the speaker's S0T0 (40 % of 100); the other camera may be paused, so not counted.
    expect(flowingBps(2, videos)).toBe(112_000);
    expect(flowingBps(2, [])).toBe(72_000);
  });

  it('aims a floor under a known line with room, climbing from what flows; unknown: from the estimate', () => {
    const videos = [
      camera('other', CONSUMER_PRIORITY.camera),
      camera('speaker', CONSUMER_PRIORITY.speakerCamera),
    ];
    const unknown = floorTarget(2, videos, {});
    expect(unknown).toEqual({ wantedBps: floorWantedBps(2, videos, Infinity), flowingBps: 0 });
    // 128k measured 127 kbit/s: at most 80 % of it, and the climb may start from what flows.
    expect(floorTarget(2, videos, { carriedBps: 127_000 })).toEqual({
      wantedBps: 127_000 * LINE_ROOM,
      flowingBps: 112_000,
    });
    // A fast line leaves what is wanted alone; the operator's maximum still caps it.
    expect(floorTarget(2, videos, { carriedBps: 5_000_000 }).wantedBps).toBe(unknown.wantedBps);
    expect(
      floorTarget(2, videos, { carriedBps: 5_000_000, maxOutgoingBitrate: 90_000 }).wantedBps,
    ).toBe(90_000);
  });

  it('counts on no more than 80 % of a known line, nor past the operator maximum', () => {
    expect(lineCapBps({})).toBe(Infinity);
    expect(lineCapBps({ carriedBps: 127_000 })).toBe(127_000 * LINE_ROOM);
    expect(lineCapBps({ carriedBps: 127_000, maxOutgoingBitrate: 90_000 })).toBe(90_000);
    // 128k: mediasoup's estimate swung to 252 kbit/s; capped, a held thumbnail stays held.
    const videos = [
      camera('other', CONSUMER_PRIORITY.camera, { paused: true }),
      camera('speaker', CONSUMER_PRIORITY.speakerCamera),
    ];
    expect(chooseLayers(252_000, 2, videos).get('other')).toMatchObject({ paused: false });
    const capped = chooseLayers(Math.min(252_000, lineCapBps({ carriedBps: 127_000 })), 2, videos);
    expect(capped.get('other')).toEqual({ paused: true });
    expect(capped.get('speaker')).toMatchObject({ paused: false, spatialLayer: 0 });
  });

  it('on 128 kbit/s keeps the speaker at its lowest layer and pauses the others', () => {
    const out = chooseLayers(128_000, 2, [
      camera('a', CONSUMER_PRIORITY.camera),
      camera('speaker', CONSUMER_PRIORITY.speakerCamera),
      camera('b', CONSUMER_PRIORITY.camera),
    ]);
    expect(pick(out, 'speaker')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 0 });
    expect(pick(out, 'a')).toEqual({ paused: true });
    expect(pick(out, 'b')).toEqual({ paused: true });
  });

  it('never pauses the first video, even when the voices take everything', () => {
    const out = chooseLayers(50_000, 2, [
      camera('cam', CONSUMER_PRIORITY.camera),
      { ...camera('screen', CONSUMER_PRIORITY.screen), spatialBps: [400_000], temporalLayers: 1 },
    ]);
    expect(pick(out, 'screen')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 0 });
    expect(pick(out, 'cam')).toEqual({ paused: true });
  });

  it('climbs only with a margin, drops at once (no flapping on a wobbling estimate)', () => {
    // Exactly enough for S0T1 of the only video: from S0T0 it does not climb, at S0T1 it stays.
    const exact = 2 * AUDIO_WIRE_BPS + 65_000;
    const fromBase = chooseLayers(exact, 2, [
      camera('v', 1, { paused: false, spatialLayer: 0, temporalLayer: 0 }),
    ]);
    expect(pick(fromBase, 'v')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 0 });
    const staying = chooseLayers(exact, 2, [
      camera('v', 1, { paused: false, spatialLayer: 0, temporalLayer: 1 }),
    ]);
    expect(pick(staying, 'v')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 1 });
    const withMargin = chooseLayers(2 * AUDIO_WIRE_BPS + 40_000 + 25_000 * UPGRADE_MARGIN, 2, [
      camera('v', 1, { paused: false, spatialLayer: 0, temporalLayer: 0 }),
    ]);
    expect(pick(withMargin, 'v')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 1 });
    const dropped = chooseLayers(2 * AUDIO_WIRE_BPS + 50_000, 2, [
      camera('v', 1, { paused: false, spatialLayer: 1, temporalLayer: 2 }),
    ]);
    expect(pick(dropped, 'v')).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 0 });
  });

  it('resumes a paused thumbnail only when its base layer fits with the margin', () => {
    const videos = (prev: GovernedVideo['previous']) => [
      camera('speaker', CONSUMER_PRIORITY.speakerCamera, {
        paused: false,
        spatialLayer: 0,
        temporalLayer: 0,
      }),
      camera('thumb', CONSUMER_PRIORITY.camera, prev),
    ];
    const justFits = 2 * AUDIO_WIRE_BPS + 40_000 + 40_000;
    expect(pick(chooseLayers(justFits, 2, videos({ paused: true })), 'thumb')).toEqual({
      paused: true,
    });
    expect(pick(chooseLayers(justFits, 2, videos(undefined)), 'thumb')).toEqual({
      paused: false,
      spatialLayer: 0,
      temporalLayer: 0,
    });
    const roomy = 2 * AUDIO_WIRE_BPS + 40_000 + 40_000 * UPGRADE_MARGIN;
    expect(pick(chooseLayers(roomy, 2, videos({ paused: true })), 'thumb')).toEqual({
      paused: false,
      spatialLayer: 0,
      temporalLayer: 0,
    });
  });

  it('gives every layer on a line with room to spare', () => {
    const out = chooseLayers(5_000_000, 2, [camera('a', 1), camera('b', 20)]);
    expect(pick(out, 'a')).toEqual({ paused: false, spatialLayer: 2, temporalLayer: 2 });
    expect(pick(out, 'b')).toEqual({ paused: false, spatialLayer: 2, temporalLayer: 2 });
  });
});

describe('governor helpers', () => {
  it('prices a producer from its encodings (simulcast with maxBitrate, or one plain layer)', () => {
    const simulcast = {
      rtpParameters: {
        encodings: [
          { maxBitrate: 100_000, scalabilityMode: 'L1T3' },
          { maxBitrate: 300_000, scalabilityMode: 'L1T3' },
          { maxBitrate: 900_000, scalabilityMode: 'L1T3' },
        ],
      },
    };
    expect(producerLayers(simulcast as never)).toEqual({
      spatialBps: [100_000, 300_000, 900_000],
      temporalLayers: 3,
    });
    const plain = { rtpParameters: { encodings: [{ ssrc: 1 }] } };
    expect(producerLayers(plain as never)).toEqual({ spatialBps: [150_000], temporalLayers: 1 });
  });

  it('never gives more than the client asked for (no temporal layer asked: the highest)', () => {
    const cap = { spatialLayer: 1, temporalLayer: 0 };
    expect(lowerLayers(undefined, cap)).toEqual(cap);
    expect(lowerLayers({ spatialLayer: 0 }, cap)).toEqual({ spatialLayer: 0 });
    expect(lowerLayers({ spatialLayer: 2 }, cap)).toEqual(cap);
    expect(lowerLayers({ spatialLayer: 1 }, cap)).toEqual(cap);
    expect(
      lowerLayers({ spatialLayer: 1, temporalLayer: 0 }, { spatialLayer: 1, temporalLayer: 2 }),
    ).toEqual({
      spatialLayer: 1,
      temporalLayer: 0,
    });
  });
});
