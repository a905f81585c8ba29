/**
 * A three-site conference in one room with real Chromium peers (one mediasoup worker):
 * decoding, preferred layers, audio-only mode, a burst of malformed signalling, room isolation,
 * and a peer leaving. The steps share one room and run in order.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { connectBot, request } from './support/bot';
import { startBrowserHarness, type BrowserHarness, type PeerPage } from './support/browser';
import { waitFor } from './support/poll';
import { report } from './support/report';

type Stats = Awaited<ReturnType<PeerPage['stats']>>;
const sum = (xs: Stats, key: keyof Stats[number]) => xs.reduce((n, s) => n + Number(s[key]), 0);

describe('three-site conference (Chromium peers, one worker)', () => {
  const issuer = createTokenIssuer();
  const room = randomUUID();
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  let browsers: BrowserHarness;
  let peers: PeerPage[] = [];
  const ids: string[] = [];
  const iceServers = [
    { urls: 'turn:turn.caunoi.test:3478?transport=tcp', username: 'u', credential: 'p' },
  ];

  beforeAll(async () => {
    sfu = await startTestSfu(issuer.publicPem, {
      SFU_WORKERS: '1',
      ICE_SERVERS: JSON.stringify(iceServers),
    });
    browsers = await startBrowserHarness();
  });
  afterAll(async () => {
    await browsers?.close();
    await sfu?.close();
  });

  /** Wait until every video consumer of `peer` decodes more frames than in `before`. */
  async function videoAdvances(peer: PeerPage, before: Stats, timeoutMs = 15_000): Promise<Stats> {
    return waitFor(
      async () => {
        const now = await peer.video();
        return (
          now.length === before.length &&
          now.every(
            (s) => s.framesDecoded > (before.find((b) => b.id === s.id)?.framesDecoded ?? 0),
          ) &&
          now
        );
      },
      {
        timeoutMs,
        message: async () =>
          `${peer.name} video not advancing: ${JSON.stringify(await peer.video())}`,
      },
    );
  }

  it('three peers each decode both remote videos and receive both remote audio streams', async () => {
    const started = Date.now();
    for (const name of ['central', 'district', 'commune']) {
      const peer = await browsers.newPeer(name);
      const res = await peer.join({
        url: sfu.url,
        token: issuer.sign({ sid: room, name }),
        displayName: name,
      });
      ids.push(res.peerId);
      peers.push(peer);
    }
    for (const peer of peers) {
      await waitFor(
        async () => {
          const v = await peer.video();
          const a = await peer.audio();
          return (
            v.length === 2 &&
            a.length === 2 &&
            v.every((s) => s.framesDecoded > 0) &&
            a.every((s) => s.packetsReceived > 0 && s.bytesReceived > 0)
          );
        },
        {
          timeoutMs: 40_000,
          message: async () => `${peer.name}: ${JSON.stringify(await peer.stats())}`,
        },
      );
    }
    const msToAllDecoding = Date.now() - started;
    for (const peer of peers)
      report(`conference: ${peer.name} receives`, {
        msToAllDecoding,
        consumers: await peer.stats(),
      });
    expect(sfu.rooms.get(room)!.stats()).toMatchObject({ peers: 3, producers: 6, consumers: 12 });
    // What was negotiated: VP8 with three simulcast encodings, Opus with in-band FEC and DTX.
    const producers = [...sfu.rooms.get(room)!.peers.values()].flatMap((p) => [
      ...p.media!.producers.values(),
    ]);
    for (const video of producers.filter((p) => p.kind === 'video')) {
      expect(video.rtpParameters.codecs[0]!.mimeType).toBe('video/VP8');
      expect(video.rtpParameters.encodings).toHaveLength(3);
      expect(video.type).toBe('simulcast');
    }
    for (const audio of producers.filter((p) => p.kind === 'audio')) {
      expect(audio.rtpParameters.codecs[0]).toMatchObject({
        mimeType: 'audio/opus',
        parameters: expect.objectContaining({ useinbandfec: 1, usedtx: 1 }),
      });
    }
  });

  it('preferred spatial layer 0 makes the receiver’s decoded width drop', async () => {
    const receiver = peers[2]!;
    // Layer 0 is 160 wide (640x480 scaled down by 4). Wait until the receiver gets a higher layer.
    const before = await waitFor(
      async () => {
        const v = await receiver.video();
        return v.every((s) => s.frameWidth >= 320) && v;
      },
      {
        timeoutMs: 30_000,
        message: async () => `top layer never reached: ${JSON.stringify(await receiver.video())}`,
      },
    );
    await receiver.setPreferredLayers(0);
    const after = await waitFor(
      async () => {
        const v = await receiver.video();
        return v.every((s) => s.frameWidth > 0 && s.frameWidth <= 160) && v;
      },
      {
        timeoutMs: 20_000,
        message: async () => `width did not drop: ${JSON.stringify(await receiver.video())}`,
      },
    );
    await videoAdvances(receiver, after);
    // The SFU told the receiver about the layer switch.
    const layerEvents = (await receiver.events()).filter(
      (e) => e.event === 'consumerLayersChanged' && e.data.spatialLayer === 0,
    );
    expect(new Set(layerEvents.map((e) => e.data.consumerId)).size).toBe(2);
    report('conference: preferred layer 0', {
      widthBefore: before.map((s) => s.frameWidth),
      widthAfter: (await receiver.video()).map((s) => s.frameWidth),
    });
    await receiver.setPreferredLayers(2);
  });

  it('audio-only mode stops video consumption and keeps audio', async () => {
    const peer = peers[1]!;
    await peer.setAudioOnly(true);
    // Frames stop: two samples 1.5 s apart with no new decoded frame.
    let frozen: Stats = [];
    await waitFor(
      async () => {
        const a = await peer.video();
        await new Promise((r) => setTimeout(r, 1500));
        const b = await peer.video();
        frozen = b;
        return sum(b, 'framesDecoded') === sum(a, 'framesDecoded');
      },
      { timeoutMs: 20_000, message: 'video kept decoding in audio-only mode' },
    );
    const audioBefore = await peer.audio();
    const audioAfter = await waitFor(
      async () => {
        const a = await peer.audio();
        return (
          a.every(
            (s) => s.bytesReceived > (audioBefore.find((b) => b.id === s.id)?.bytesReceived ?? 0),
          ) && a
        );
      },
      { timeoutMs: 10_000, message: 'audio stopped in audio-only mode' },
    );
    const consumers = [...sfu.rooms.get(room)!.peers.get(ids[1]!)!.media!.consumers.values()];
    expect(consumers.filter((c) => c.kind === 'video').every((c) => c.paused)).toBe(true);
    expect(consumers.filter((c) => c.kind === 'audio').every((c) => !c.paused)).toBe(true);
    report('conference: audio-only', {
      videoFramesFrozenAt: frozen.map((s) => s.framesDecoded),
      audioBytesGrew: audioAfter.map(
        (s) => `${audioBefore.find((b) => b.id === s.id)?.bytesReceived}→${s.bytesReceived}`,
      ),
    });
    await peer.setAudioOnly(false);
    const resumed = await videoAdvances(peer, frozen);
    report('conference: audio-only off', { videoFramesAfter: resumed.map((s) => s.framesDecoded) });
  });

  it('a burst of 1,000 malformed messages gets error acks and the room keeps being served', async () => {
    const attacker: Socket = await connectBot(sfu.url, {
      token: issuer.sign({ sid: room, name: 'bot' }),
    });
    const big = 'x'.repeat(100_000);
    const kinds: Array<() => unknown[]> = [
      () => ['join', { rtpCapabilities: 'nope' }],
      () => ['produce', { transportId: 42 }],
      () => ['consume', null],
      () => ['noSuchRequest', {}],
      () => ['setPreferredLayers', { consumerId: 'x', spatialLayer: -7 }],
      () => ['createTransport', { direction: 'sideways' }],
      () => ['join', { rtpCapabilities: { big } }],
      () => ['connectTransport', 'just a string'],
      () => ['resumeConsumer', [1, 2, 3]],
      () => ['restartIce', { transportId: '' }, 'extra'],
    ];
    const before = await Promise.all(peers.map((p) => p.video()));
    const started = Date.now();
    const acks: Array<Promise<any>> = [];
    for (let i = 0; i < 1000; i++) {
      const [name, ...args] = kinds[i % kinds.length]!();
      acks.push(
        new Promise((resolve) =>
          attacker
            .timeout(20_000)
            .emit(name as string, ...args, (err: Error | null, ack: any) =>
              resolve(err ? { timeout: true } : ack),
            ),
        ),
      );
    }
    // Some without an ack callback at all, and a binary payload.
    for (let i = 0; i < 20; i++) attacker.emit('produce', { kind: 'audio' });
    attacker.emit('join', Buffer.alloc(2048));
    const results = await Promise.all(acks);
    const codes: Record<string, number> = {};
    for (const r of results) {
      const code = r?.timeout ? 'timeout' : r?.ok === false ? r.error.code : 'ok';
      codes[code] = (codes[code] ?? 0) + 1;
    }
    expect(codes.ok ?? 0).toBe(0);
    expect(codes.timeout ?? 0).toBe(0);
    expect(
      Object.keys(codes).every((c) =>
        ['invalid_message', 'rate_limited', 'limit_exceeded'].includes(c),
      ),
    ).toBe(true);
    expect(attacker.connected).toBe(true);
    // The room is still served: every peer's video advances and a new request succeeds.
    for (let i = 0; i < peers.length; i++) await videoAdvances(peers[i]!, before[i]!);
    const caps = await peers[0]!.request<{ codecs: unknown[] }>('getRouterRtpCapabilities');
    expect(caps.codecs.length).toBeGreaterThan(0);
    const health = await fetch(`${sfu.url}/health`).then((r) => r.json());
    expect(health).toMatchObject({ status: 'ok' });
    report('conference: malformed burst', {
      messages: 1021,
      acked: results.length,
      codes,
      msToAllAcks: Date.now() - started,
    });
    attacker.close();
  });

  it('a peer may only consume producers of its own room; TCP-only transports and ICE servers are offered', async () => {
    const producerId = sfu.rooms.get(room)!.producerInfos()[0]!.id;
    const outsider = await connectBot(sfu.url, { token: issuer.sign({ sid: randomUUID() }) });
    const caps = await request(outsider, 'getRouterRtpCapabilities');
    expect(caps.ok).toBe(true);
    expect((await request(outsider, 'join', { rtpCapabilities: caps.data })).ok).toBe(true);
    const transport = await request(outsider, 'createTransport', { direction: 'recv' });
    expect(transport.ok).toBe(true);
    expect(transport.data.iceServers).toEqual(iceServers);
    expect(
      transport.data.iceCandidates.map((c: { protocol: string }) => c.protocol).sort(),
    ).toEqual(['tcp', 'udp']);
    const tcpOnly = await request(outsider, 'createTransport', {
      direction: 'send',
      forceTcp: true,
    });
    expect(tcpOnly.data.iceCandidates).toEqual([
      expect.objectContaining({ protocol: 'tcp', address: '127.0.0.1' }),
    ]);
    const res = await request(outsider, 'consume', {
      transportId: transport.data.id,
      producerId,
      rtpCapabilities: caps.data,
    });
    expect(res).toEqual({ ok: false, error: { code: 'not_found', message: expect.any(String) } });
    outsider.close();
  });

  it('a peer leaves: the others get producerClosed and peerLeft, and their consumers end', async () => {
    const [leaver, ...stay] = peers;
    const leaverId = ids[0]!;
    const leaverProducers = sfu.rooms
      .get(room)!
      .producerInfos()
      .filter((p) => p.peerId === leaverId)
      .map((p) => p.id);
    expect(leaverProducers).toHaveLength(2);
    await leaver!.leave();
    for (const peer of stay) {
      await waitFor(
        async () => {
          const events = await peer.events();
          const closed = events
            .filter((e) => e.event === 'producerClosed')
            .map((e) => e.data.producerId);
          const left = events.some((e) => e.event === 'peerLeft' && e.data.peerId === leaverId);
          const live = (await peer.stats()).filter((s) => !s.closed);
          return (
            leaverProducers.every((id) => closed.includes(id)) &&
            left &&
            live.length === 2 &&
            live.every((s) => s.peerId !== leaverId)
          );
        },
        {
          timeoutMs: 15_000,
          message: async () => `${peer.name}: ${JSON.stringify(await peer.events())}`,
        },
      );
    }
    const room1 = sfu.rooms.get(room)!;
    expect(room1.stats()).toMatchObject({ peers: 2, producers: 4, consumers: 4 });
    // The remaining two still see each other.
    for (const peer of stay) await videoAdvances(peer, await peer.video());
    peers = stay;
  });

  it('serves /metrics with rooms, peers, producers, consumers, worker CPU and bitrates', async () => {
    const text = await fetch(`${sfu.url}/metrics`).then((r) => r.text());
    for (const name of [
      'sfu_rooms',
      'sfu_peers',
      'sfu_producers',
      'sfu_consumers',
      'sfu_worker_cpu_seconds',
      'sfu_transport_bitrate_bps',
      'sfu_signalling_requests_total',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/sfu_peers \d/);
    const inbound = Number(
      /sfu_transport_bitrate_bps\{direction="in"\} (\d+(\.\d+)?)/.exec(text)?.[1],
    );
    expect(inbound).toBeGreaterThan(0);
  });
});
