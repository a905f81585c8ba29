import type { types as ms } from 'mediasoup-client';
import { LinkController, type ControlledConsumer } from './link-control';
import type { ReceiverStat } from './types';

/** A consumer as the controller sees it: kind, and pause/resume on the client side. */
function consumer(id: string, peerId: string, kind: 'audio' | 'video'): ControlledConsumer {
  const c = {
    id,
    kind,
    paused: false,
    pause: () => (c.paused = true),
    resume: () => (c.paused = false),
  };
  return {
    consumer: c as unknown as ms.Consumer,
    peerId,
    source: kind === 'audio' ? 'mic' : 'camera',
    producerPaused: false,
  };
}

function stat(consumerId: string, over: Partial<ReceiverStat>): ReceiverStat {
  return {
    consumerId,
    peerId: '',
    kind: 'video',
    bytesReceived: 0,
    packetsReceived: 0,
    packetsLost: 0,
    ...over,
  };
}

/**
 * Cumulative counters after `t` seconds: audio from a and b, the speaker a's camera at 15 frames
 * a second, b's camera at `bFps`, and `lossPct` of all packets lost.
 */
function inbound(t: number, bFps: number, lossPct: number) {
  const received = 100 * t;
  const lost = Math.round((received * lossPct) / (100 - lossPct));
  return new Map<string, ReceiverStat>([
    [
      'aa',
      stat('aa', {
        kind: 'audio',
        packetsReceived: received,
        packetsLost: lost,
        concealedSamples: 0,
        totalSamplesReceived: 48_000 * t,
      }),
    ],
    ['va', stat('va', { packetsReceived: received, packetsLost: lost, framesDecoded: 15 * t })],
    ['vb', stat('vb', { packetsReceived: received, packetsLost: lost, framesDecoded: bFps * t })],
  ]);
}

describe('link controller: what a weak downlink does to the remote videos', () => {
  let requests: Array<[string, object]>;
  const request = async (name: string, data: object) => {
    requests.push([name, data]);
  };
  let consumers: Map<string, ControlledConsumer>;
  let control: LinkController;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(0);
    requests = [];
    consumers = new Map([
      ['aa', consumer('aa', 'a', 'audio')],
      ['va', consumer('va', 'a', 'video')],
      ['vb', consumer('vb', 'b', 'video')],
    ]);
    control = new LinkController();
  });
  afterEach(() => jest.useRealTimers());

  async function windowAt(t: number, bFps: number, lossPct: number) {
    jest.setSystemTime(t * 1000);
    return control.tick(consumers, inbound(t, bFps, lossPct), 'a', false, request);
  }

  it("does not judge the first window's concealment (the decoders starting), judges the next", async () => {
    // 20 % of the audio concealed, 4 % of the packets lost: critical, but for the first window.
    const concealing = (t: number) => {
      const m = inbound(t, 15, 4);
      const a = m.get('aa')!;
      m.set('aa', { ...a, concealedSamples: (a.totalSamplesReceived! * 20) / 100 });
      jest.setSystemTime(t * 1000);
      return control.tick(consumers, m, 'a', false, request);
    };
    await concealing(0);
    await concealing(2);
    expect(control.mode).toBe('normal');
    // Then one heavy window is a weak line (a burst of first key frames), two in a row critical.
    await concealing(4);
    expect(control.mode).toBe('weak');
    await concealing(6);
    expect(control.mode).toBe('critical');
  });

  it('does not judge concealment while a voice buffer grows (the browser stretching the sound)', async () => {
    const concealing = (t: number, settling: boolean) => {
      const m = inbound(t, 15, 4);
      const a = m.get('aa')!;
      m.set('aa', { ...a, concealedSamples: (a.totalSamplesReceived! * 20) / 100 });
      jest.setSystemTime(t * 1000);
      return control.tick(consumers, m, 'a', false, request, settling);
    };
    for (const t of [0, 2, 4, 6]) await concealing(t, true);
    expect(control.mode).toBe('normal');
    await concealing(8, false);
    await concealing(10, false);
    expect(control.mode).toBe('critical');
  });

  it('judges nothing before the first packets (still connecting), an outage after them', async () => {
    const nothing = new Map(
      ['aa', 'va', 'vb'].map((id) => [id, stat(id, { kind: id === 'aa' ? 'audio' : 'video' })]),
    );
    for (const t of [0, 2, 4]) {
      jest.setSystemTime(t * 1000);
      await control.tick(consumers, nothing, 'a', false, request);
    }
    expect(control.mode).toBe('normal');
    await windowAt(6, 15, 0);
    await windowAt(8, 15, 0);
    expect(control.mode).toBe('normal');
    // The line goes silent after media flowed: critical at once.
    jest.setSystemTime(10_000);
    await control.tick(consumers, inbound(8, 15, 0), 'a', false, request);
    expect(control.mode).toBe('critical');
  });

  it('back from audio only, one video comes back per window (each brings a key frame)', async () => {
    consumers.set('sb', { ...consumer('sb', 'b', 'video'), source: 'screen' });
    await windowAt(0, 15, 0);
    await windowAt(2, 15, 0);
    jest.setSystemTime(4_000);
    await control.tick(consumers, inbound(2, 15, 0), 'a', false, request); // silence
    expect(control.mode).toBe('critical');
    const resumed = () =>
      requests
        .filter(([n]) => n === 'resumeConsumer')
        .map(([, d]) => (d as { consumerId: string }).consumerId);
    let t = 4;
    while (control.mode === 'critical') await windowAt((t += 2), 15, 6);
    expect(control.mode).toBe('weak');
    // The speaker's camera or the shared screen, not both; the other one a window later.
    expect(resumed()).toHaveLength(1);
    expect(['va', 'sb']).toContain(resumed()[0]);
    await windowAt((t += 2), 15, 6);
    expect(resumed().sort()).toEqual(['sb', 'va']);
    // The other site's camera, held while the line starved it, stays held on a weak line.
    expect(consumers.get('vb')!.heldForLink).toBe(true);
  });

  it('a join on a line known weak starts weak, and a video waiting its turn comes next, not as starved', async () => {
    control.reset(true);
    expect(control.mode).toBe('weak');
    // The join started a's camera; b's waits, paused on both sides.
    Object.assign(consumers.get('vb')!, { heldForLink: true, waiting: true });
    consumers.get('vb')!.consumer.pause();
    await windowAt(0, 0, 6);
    await windowAt(2, 0, 6);
    expect(requests).toContainEqual(['resumeConsumer', { consumerId: 'vb' }]);
    expect(consumers.get('vb')!.heldForLink).toBe(false);
    expect(consumers.get('vb')!.consumer.paused).toBe(false);
    // As a thumbnail: the lowest spatial and temporal layer.
    expect(requests).toContainEqual([
      'setPreferredLayers',
      { consumerId: 'vb', spatialLayer: 0, temporalLayer: 0 },
    ]);
  });

  it('a clean line: every video at the best layer, nothing paused', async () => {
    await windowAt(0, 15, 0);
    await windowAt(2, 15, 0);
    expect(control.mode).toBe('normal');
    expect(requests.filter(([n]) => n === 'pauseConsumer')).toEqual([]);
    expect(requests).toContainEqual(['setPreferredLayers', { consumerId: 'vb', spatialLayer: 2 }]);
  });

  it('a lossy line that still carries the other site: speaker at the lowest layer, the other as a thumbnail', async () => {
    await windowAt(0, 5, 0);
    requests = [];
    expect(await windowAt(2, 5, 8)).toBe(true);
    expect(control.mode).toBe('weak');
    expect(requests).toEqual([
      ['setPreferredLayers', { consumerId: 'va', spatialLayer: 0 }],
      ['setPreferredLayers', { consumerId: 'vb', spatialLayer: 0, temporalLayer: 0 }],
    ]);
    expect(consumers.get('vb')!.heldForLink).toBeFalsy();
  });

  it('a thumbnail the line starves is paused on the SFU and stays held, shown as paused', async () => {
    await windowAt(0, 0, 0);
    await windowAt(2, 0, 8);
    expect(control.mode).toBe('weak');
    expect(requests).toContainEqual(['pauseConsumer', { consumerId: 'vb' }]);
    const vb = consumers.get('vb')!;
    expect(vb.heldForLink).toBe(true);
    expect((vb.consumer as unknown as { paused: boolean }).paused).toBe(true);
    // The speaker is never starved out, and the held site does not come back while still weak.
    requests = [];
    await windowAt(4, 0, 8);
    expect(requests.filter(([n]) => n === 'resumeConsumer')).toEqual([]);
    expect(consumers.get('va')!.heldForLink).toBeFalsy();
  });

  it('a video the SFU holds (videoHeld) is not judged starved nor paused again by the client', async () => {
    consumers.get('vb')!.heldBySfu = true;
    // A lossy line and no frames from b: the SFU stopped b on purpose, it is not a frozen video.
    await windowAt(0, 0, 0);
    await windowAt(2, 0, 8);
    await windowAt(4, 0, 8);
    expect(control.mode).toBe('weak');
    expect(requests.filter(([n]) => n === 'pauseConsumer')).toEqual([]);
    expect(consumers.get('vb')!.heldForLink).toBeFalsy();
  });
});
