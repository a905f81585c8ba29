/**
 * Reconnection: a socket that comes back within the grace period resumes the same peer (same id,
 * same producers, no peerLeft for the others); after the grace period the peer is cleaned up.
 */
import { randomUUID } from 'node:crypto';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { startBrowserHarness, type BrowserHarness } from './support/browser';
import { waitFor } from './support/poll';
import { report } from './support/report';
import type { ResumeResult } from '@caunoi/shared';

describe('reconnection grace period', () => {
  const issuer = createTokenIssuer();
  const room = randomUUID();
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  let browsers: BrowserHarness;

  beforeAll(async () => {
    sfu = await startTestSfu(issuer.publicPem, {
      SFU_WORKERS: '1',
      SFU_RECONNECT_GRACE_SECONDS: '4',
    });
    browsers = await startBrowserHarness();
  });
  afterAll(async () => {
    await browsers?.close();
    await sfu?.close();
  });

  it('resumes without rebuilding: after a socket reconnect the live transports and consumers are kept', async () => {
    const sid = randomUUID();
    const a = await browsers.newPeer('resume-a');
    const b = await browsers.newPeer('resume-b');
    const ra = await a.join({ url: sfu.url, token: issuer.sign({ sid, name: 'A' }) });
    await b.join({ url: sfu.url, token: issuer.sign({ sid, name: 'B' }) });
    const decoding = async (p: typeof a) => {
      const v = await p.video();
      return v.length === 1 && v[0]!.framesDecoded > 0;
    };
    await waitFor(async () => (await decoding(a)) && (await decoding(b)), { timeoutMs: 30_000 });
    const before = await a.mediaIds();
    const peerA = sfu.rooms.get(sid)!.peers.get(ra.peerId)!;
    const mediaBefore = peerA.media;
    // Audio downstream is sent with NACK (Chromium's capabilities via mediasoup-client).
    const audio = [...mediaBefore!.consumers.values()].find((c) => c.kind === 'audio')!;
    expect(audio.rtpParameters.codecs[0]!.rtcpFeedback).toContainEqual(
      expect.objectContaining({ type: 'nack' }),
    );
    expect(audio.priority).toBe(255);

    await a.dropSocket();
    await waitFor(
      async () => (await a.mediaIds()).socketId !== before.socketId && peerA.connected,
      {
        timeoutMs: 10_000,
        message: 'socket did not come back',
      },
    );
    const res = await a.request<ResumeResult>('resume');
    expect(res).toMatchObject({ peerId: ra.peerId, media: true });
    expect(res.transports.map((t) => t.id).sort()).toEqual([before.send, before.recv].sort());
    expect(res.transports.every((t) => t.dtlsState === 'connected')).toBe(true);
    expect(res.consumers.map((c) => c.id).sort()).toEqual([...before.consumers].sort());
    expect(res.producers.map((p) => p.source).sort()).toEqual(['camera', 'mic']);
    // Nothing was rebuilt: the same media object on the SFU, the same ids in the page.
    expect(peerA.media).toBe(mediaBefore);
    expect((await a.mediaIds()).consumers.sort()).toEqual([...before.consumers].sort());
    // And media keeps flowing both ways on those very transports.
    for (const p of [a, b]) {
      const [v0] = await p.video();
      await waitFor(async () => (await p.video())[0]!.framesDecoded > v0!.framesDecoded + 5, {
        message: 'video stopped after the socket reconnect',
      });
    }
    report('reconnect: resume without rebuild', {
      transports: res.transports.map((t) => `${t.direction}:${t.iceState}/${t.dtlsState}`),
      consumers: res.consumers.length,
    });
    await a.leave();
    await b.leave();
  });

  it('resumes the same peer without duplicate producers, then cleans up after the grace period', async () => {
    const a = await browsers.newPeer('a');
    const b = await browsers.newPeer('b');
    const ra = await a.join({ url: sfu.url, token: issuer.sign({ sid: room, name: 'A' }) });
    await b.join({ url: sfu.url, token: issuer.sign({ sid: room, name: 'B' }) });
    await waitFor(async () => (await b.video()).some((s) => s.framesDecoded > 0), {
      timeoutMs: 30_000,
    });
    const r = sfu.rooms.get(room)!;
    const peerA = r.peers.get(ra.peerId)!;
    const producersBefore = [...peerA.media!.producers.keys()].sort();

    // Network blip: the socket drops; socket.io-client reconnects with auth { token, peerId }.
    const firstSocket = peerA.channel;
    await a.dropSocket();
    await waitFor(() => peerA.channel !== firstSocket && peerA.connected, {
      timeoutMs: 10_000,
      message: 'socket did not resume',
    });
    expect(r.peers.get(ra.peerId)).toBe(peerA);
    expect([...peerA.media!.producers.keys()].sort()).toEqual(producersBefore);
    expect(r.stats()).toMatchObject({ peers: 2, producers: 4 });
    // Signalling works on the resumed socket and media kept flowing.
    expect(
      (await a.request<{ codecs: unknown[] }>('getRouterRtpCapabilities')).codecs.length,
    ).toBeGreaterThan(0);
    const bVideo = await b.video();
    await waitFor(async () =>
      (await b.video()).every(
        (s) => s.framesDecoded > (bVideo.find((x) => x.id === s.id)?.framesDecoded ?? 0),
      ),
    );
    expect((await b.events()).some((e) => e.event === 'peerLeft')).toBe(false);

    // Gone for good (page closed without leave): after the grace period B is told.
    const closedAt = Date.now();
    await a.close();
    await waitFor(
      async () =>
        (await b.events()).some((e) => e.event === 'peerLeft' && e.data.peerId === ra.peerId),
      {
        timeoutMs: 15_000,
        message: 'peerLeft never arrived',
      },
    );
    const msUntilPeerLeft = Date.now() - closedAt;
    expect(msUntilPeerLeft).toBeGreaterThanOrEqual(3_500);
    const events = await b.events();
    expect(
      events
        .filter((e) => e.event === 'producerClosed')
        .map((e) => e.data.producerId)
        .sort(),
    ).toEqual(producersBefore);
    report('reconnect', { graceSeconds: 4, msUntilPeerLeftAfterPageClosed: msUntilPeerLeft });
    await b.leave();
  });
});
