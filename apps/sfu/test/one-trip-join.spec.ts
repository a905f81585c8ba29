/**
 * The one-trip join with a real worker: the router's capabilities come with the connection when
 * the handshake asks for them, and one `join` opens both transports and hands over a consumer per
 * producer already in the room (audio flowing, video paused until resumed), with the transports
 * of a peer that says its line is weak starting low. Old-style clients (bots, mobile apps) that
 * ask for none of it get the classic answer and the classic requests keep working. With real
 * WebRTC peers (Node, libvpx), a site that joined in one trip decodes the video already there.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { botSuite } from './support/bot-suite';
import { request } from './support/bot';
import { waitFor } from './support/poll';
import { MediaBot } from './support/media-bot';
import { START_BITRATE_SHARE, WEAK_LINK_START_BITRATE, capabilitiesDigest } from '@caunoi/shared';

const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 1111 }],
};
const VP8 = {
  codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
  encodings: [{ ssrc: 2222 }],
};

describe('one-trip join', () => {
  const suite = botSuite();
  const { issuer } = suite;
  const opened: Socket[] = [];
  afterAll(() => opened.forEach((s) => s.close()));

  async function roomWithSender(room: string) {
    const sender = await suite.joined({ sid: room });
    const t = await request(sender.s, 'createTransport', { direction: 'send' });
    const produce = async (kind: string, rtpParameters: unknown, source: string) =>
      (
        await request(sender.s, 'produce', {
          transportId: t.data.id,
          kind,
          rtpParameters,
          appData: { source },
        })
      ).data.id as string;
    return {
      sender,
      mic: await produce('audio', OPUS, 'mic'),
      camera: await produce('video', VP8, 'camera'),
    };
  }

  it('answers transports and consumers in the join; audio flows at once, video waits', async () => {
    const room = randomUUID();
    const { sender, mic, camera } = await roomWithSender(room);

    // Listening before the connection is up: the capabilities follow it at once.
    const s = io(suite.sfu.url, {
      auth: { token: issuer.sign({ sid: room }), capabilities: true },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    opened.push(s);
    const scores: Array<{ consumerId: string }> = [];
    s.on('score', (e) => scores.push(e));
    const pushed = await new Promise<{ codecs: unknown[] }>((ok) =>
      s.once('routerRtpCapabilities', ok),
    );
    expect(pushed).toEqual(sender.caps);
    const joined = await request(s, 'join', {
      rtpCapabilities: pushed,
      transports: { send: true, recv: true },
      consume: true,
      weakLink: true,
    });
    expect(joined.ok).toBe(true);
    // The capabilities and this answer are several kB: compressed on the wire.
    const ws = (s.io.engine.transport as unknown as { ws?: { extensions?: string } }).ws;
    expect(ws?.extensions).toContain('permessage-deflate');
    const { transports, consumers, producers, peerId } = joined.data;
    // The classic fields are still there.
    expect(producers.map((p: { id: string }) => p.id).sort()).toEqual([mic, camera].sort());
    for (const t of [transports.send, transports.recv]) {
      expect(t).toMatchObject({ id: expect.any(String), iceParameters: expect.any(Object) });
      expect(t.iceCandidates.length).toBeGreaterThan(0);
      expect(t.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    }
    expect(consumers).toHaveLength(2);
    const audio = consumers.find((c: { kind: string }) => c.kind === 'audio');
    const video = consumers.find((c: { kind: string }) => c.kind === 'video');
    expect(audio).toMatchObject({ producerId: mic, peerId: sender.peerId, paused: false });
    expect(video).toMatchObject({ producerId: camera, peerId: sender.peerId, paused: true });
    expect(audio.rtpParameters.codecs[0].mimeType).toBe('audio/opus');
    // Each consumer's score is told at once, not only when it changes (no RTP flows here).
    await waitFor(() => scores.length >= 2);
    expect(scores.map((e) => e.consumerId).sort()).toEqual([audio.id, video.id].sort());

    const media = suite.sfu.rooms.get(room)!.peers.get(peerId)!.media!;
    expect(media.transports.size).toBe(2);
    expect(media.consumer(audio.id).paused).toBe(false);
    expect(media.consumer(video.id).paused).toBe(true);
    // A weak line: the receive transport's estimate starts low.
    expect(media.transport(transports.recv.id).appData.initialOutgoingBitrate).toBe(
      WEAK_LINK_START_BITRATE,
    );

    // The client produces without waiting for `connectTransport`: the SFU accepts it.
    const produced = await request(s, 'produce', {
      transportId: transports.send.id,
      kind: 'audio',
      rtpParameters: { ...OPUS, encodings: [{ ssrc: 3333 }] },
      appData: { source: 'mic' },
    });
    expect(produced.ok).toBe(true);
    // The video is resumed as after `consume`.
    const resumed = await request(s, 'resumeConsumer', { consumerId: video.id });
    expect(resumed).toEqual({ ok: true, data: { paused: false } });
    expect(media.consumer(video.id).paused).toBe(false);
  });

  it('keeps old-style clients working: no pushed capabilities, classic answer and requests', async () => {
    const room = randomUUID();
    const { mic } = await roomWithSender(room);
    const s = await suite.bot({ token: issuer.sign({ sid: room }) });
    const events: string[] = [];
    s.onAny((e: string) => events.push(e));
    const caps = await request(s, 'getRouterRtpCapabilities');
    const joined = await request(s, 'join', { displayName: 'bot', rtpCapabilities: caps.data });
    expect(joined.ok).toBe(true);
    expect(joined.data).not.toHaveProperty('transports');
    expect(joined.data).not.toHaveProperty('consumers');
    expect(events).not.toContain('routerRtpCapabilities');
    const recv = await request(s, 'createTransport', { direction: 'recv' });
    const c = await request(s, 'consume', {
      transportId: recv.data.id,
      producerId: mic,
      rtpCapabilities: caps.data,
    });
    expect(c.ok).toBe(true);
    const media = suite.sfu.rooms.get(room)!.peers.get(joined.data.peerId)!.media!;
    expect(media.consumer(c.data.id).paused).toBe(true); // paused until the client resumes it
    // Without `weakLink` the estimate starts at the configured value.
    expect(media.transport(recv.data.id).appData.initialOutgoingBitrate).toBe(
      suite.sfu.config.initialOutgoingBitrate,
    );
    expect(media.transport(recv.data.id).appData).not.toHaveProperty('lineRttMs');
    // A recv transport alone, without consuming: transports only.
    const again = await request(s, 'join', {
      rtpCapabilities: caps.data,
      transports: { recv: true },
      // What this client's last session measured of its line: the estimate starts there.
      startBitrate: 90_000,
      // and the round trip its page measured before any media crossed the line.
      lineRttMs: 310,
    });
    expect(again.data.transports.recv.id).toEqual(expect.any(String));
    expect(again.data.transports).not.toHaveProperty('send');
    expect(again.data).not.toHaveProperty('consumers');
    const rejoined = suite.sfu.rooms.get(room)!.peers.get(again.data.peerId)!.media!;
    expect(rejoined.transport(again.data.transports.recv.id).appData.initialOutgoingBitrate).toBe(
      90_000,
    );
    // What the line carried (the start is START_BITRATE_SHARE of it): the governor's floor never
    // lifts the estimate past it.
    expect(rejoined.transport(again.data.transports.recv.id).appData.carriedBps).toBe(
      Math.round(90_000 / START_BITRATE_SHARE),
    );
    // mediasoup's estimate towards it never exceeds what the line is known to carry.
    const [stats] = await rejoined.transport(again.data.transports.recv.id).getStats();
    expect(stats!.maxOutgoingBitrate).toBe(Math.round(90_000 / START_BITRATE_SHARE));
    // The line's round trip without a queue: the floor judges a queue against it.
    expect(rejoined.transport(again.data.transports.recv.id).appData.lineRttMs).toBe(310);
  });

  it('tells a site that joins while someone speaks who the speaker is', async () => {
    const room = randomUUID();
    const { sender, mic } = await roomWithSender(room);
    // mediasoup's dominant speaker (the observer needs real voices; its hook is this call).
    suite.sfu.rooms.get(room)!.speakerChanged({ id: mic, appData: { peerId: sender.peerId } });
    const s = await suite.bot({ token: issuer.sign({ sid: room }) });
    const heard = new Promise((ok) => s.once('activeSpeaker', ok));
    const caps = await request(s, 'getRouterRtpCapabilities');
    expect((await request(s, 'join', { rtpCapabilities: caps.data })).ok).toBe(true);
    expect(await heard).toEqual({ peerId: sender.peerId, producerId: mic });
  });

  it('names the field of a malformed one-trip join', async () => {
    const s = await suite.bot({ token: issuer.sign({ sid: randomUUID() }) });
    const caps = await request(s, 'getRouterRtpCapabilities');
    const bad = await request(s, 'join', {
      rtpCapabilities: caps.data,
      transports: { both: true },
    });
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('invalid_message');
    expect(bad.error.message).toContain('transports');
    const worse = await request(s, 'join', { rtpCapabilities: caps.data, consume: 'yes' });
    expect(worse.error.message).toContain('consume');
    const odd = await request(s, 'join', { rtpCapabilities: caps.data, startBitrate: 'fast' });
    expect(odd.error.code).toBe('invalid_message');
    expect(odd.error.message).toContain('startBitrate');
    const unlike = await request(s, 'join', {
      rtpCapabilities: caps.data,
      transports: { recv: true },
      dtlsFingerprints: [{ algorithm: 'sha-256', value: 'not hex' }],
    });
    expect(unlike.error.code).toBe('invalid_message');
    expect(unlike.error.message).toContain('dtlsFingerprints');
  });

  it('connects the transports in the join when given the client certificate fingerprints', async () => {
    const s = await suite.bot({ token: issuer.sign({ sid: randomUUID() }) });
    const caps = await request(s, 'getRouterRtpCapabilities');
    const value = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0'))
      .join(':')
      .toUpperCase();
    const joined = await request(s, 'join', {
      rtpCapabilities: caps.data,
      transports: { send: true, recv: true },
      dtlsFingerprints: [{ algorithm: 'sha-256', value }],
    });
    expect(joined.ok).toBe(true);
    expect(joined.data.transports.recv.dtlsConnected).toBe(true);
    expect(joined.data.transports.send.dtlsConnected).toBe(true);
    // Connected already: a second connect is refused, the transport is not reset.
    const again = await request(s, 'connectTransport', {
      transportId: joined.data.transports.recv.id,
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value }] },
    });
    expect(again.ok).toBe(false);
    expect(again.error.code).toBe('conflict');
    // Without fingerprints the client connects it as before.
    const plain = await request(s, 'join', {
      rtpCapabilities: caps.data,
      transports: { recv: true },
    });
    expect(plain.data.transports.recv).not.toHaveProperty('dtlsConnected');
    const connected = await request(s, 'connectTransport', {
      transportId: plain.data.transports.recv.id,
      dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value }] },
    });
    expect(connected.ok).toBe(true);
  });

  /** A socket whose handshake carries `auth`, listening for the SFU's opening messages. */
  function opening(auth: Record<string, unknown>) {
    const s = io(suite.sfu.url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    opened.push(s);
    const heard: string[] = [];
    s.onAny((event) => heard.push(event));
    const next = <T>(event: string) => new Promise<T>((ok) => s.once(event, ok));
    return { s, heard, next };
  }

  it("takes the join from the handshake while the kept capabilities are the router's", async () => {
    const room = randomUUID();
    const { sender, mic, camera } = await roomWithSender(room);
    const routerCapabilities = capabilitiesDigest(sender.caps);
    const site = opening({
      token: issuer.sign({ sid: room }),
      join: {
        routerCapabilities,
        request: {
          rtpCapabilities: sender.caps,
          transports: { send: true, recv: true },
          consume: true,
        },
      },
    });
    const answer = await site.next<{ ok: boolean; data: any }>('joined');
    expect(answer.ok).toBe(true);
    expect(answer.data.peerId).toEqual(expect.any(String));
    expect(Object.keys(answer.data.transports).sort()).toEqual(['recv', 'send']);
    const byProducer = new Map(answer.data.consumers.map((c: any) => [c.producerId, c]));
    expect((byProducer.get(mic) as any)?.paused).toBe(false);
    expect((byProducer.get(camera) as any)?.paused).toBe(true);
    // Nothing else was needed: no capabilities pushed, the peer is in the room.
    expect(site.heard).not.toContain('routerRtpCapabilities');
    const room0 = suite.sfu.rooms.get(room)!;
    expect(room0.peers.has(answer.data.peerId)).toBe(true);
    // And it goes on as after a `join` request: the video resumes on request.
    const resumed = await request(site.s, 'resumeConsumer', {
      consumerId: (byProducer.get(camera) as any).id,
    });
    expect(resumed.ok).toBe(true);
  });

  it("sends the capabilities instead when the kept ones are not the router's, and joins nobody", async () => {
    const room = randomUUID();
    const { sender } = await roomWithSender(room);
    const site = opening({
      token: issuer.sign({ sid: room }),
      join: { routerCapabilities: '00000000', request: { rtpCapabilities: sender.caps } },
    });
    expect(await site.next('routerRtpCapabilities')).toEqual(sender.caps);
    expect(site.heard).not.toContain('joined');
    // Only the sender has joined; the new socket's peer is admitted but has not joined yet.
    const joined = await request(site.s, 'join', { rtpCapabilities: sender.caps });
    expect(joined.ok).toBe(true);
    expect(joined.data.resumed ?? false).toBe(false);
  });

  it('names the field of a malformed handshake join, then still sends the capabilities', async () => {
    const site = opening({
      token: issuer.sign({ sid: randomUUID() }),
      capabilities: true,
      join: { routerCapabilities: 'abc', request: { rtpCapabilities: { codecs: [] } } },
    });
    const refused = await site.next<{ ok: boolean; error: { code: string; message: string } }>(
      'joined',
    );
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('invalid_message');
    expect(refused.error.message).toContain('auth.join: routerCapabilities');
    expect(await site.next<{ codecs: unknown[] }>('routerRtpCapabilities')).toHaveProperty(
      'codecs',
    );
    const badRequest = opening({
      token: issuer.sign({ sid: randomUUID() }),
      join: { routerCapabilities: '0123abcd', request: { rtpCapabilities: { codecs: [] } } },
    });
    const second = await badRequest.next<{ ok: boolean; error: { message: string } }>('joined');
    expect(second.error.message).toContain('request.rtpCapabilities.codecs');
  });

  it('a WebRTC site that joined in one trip decodes the video already in the room', async () => {
    const room = randomUUID();
    const sender = await MediaBot.join(suite.sfu.url, issuer.sign({ sid: room }));
    const site = await MediaBot.joinInOneTrip(suite.sfu.url, issuer.sign({ sid: room }));
    try {
      await sender.sendVideo('camera');
      // The camera came after the join: consumed the classic way, on `newProducer`.
      await waitFor(() => [...site.videos.values()].some((v) => v.frames > 0), {
        timeoutMs: 30_000,
        message: 'the one-trip site decodes the later camera',
      });
      const late = await MediaBot.joinInOneTrip(suite.sfu.url, issuer.sign({ sid: room }));
      try {
        await waitFor(
          () => [...late.videos.values()].some((v) => v.peerId === sender.peerId && v.frames > 0),
          { timeoutMs: 30_000, message: 'the late site decodes the camera from its join answer' },
        );
        // Before the first frame: the join, then connect (both transports) and the video's resume.
        expect(late.asked.filter((a) => a !== 'connectTransport')).toEqual([
          'join',
          'resumeConsumer',
        ]);
        expect(late.joinAnswer.consumers).toHaveLength(1);
      } finally {
        late.close();
      }
    } finally {
      sender.close();
      site.close();
    }
  }, 90_000);
});
