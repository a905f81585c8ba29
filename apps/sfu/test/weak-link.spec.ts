/**
 * Server-side choices for weak links, with a real worker: the signalling heartbeat survives an
 * 18 s outage of the TCP path (a relay that holds every byte, as a dead 3G link does), consumer
 * priorities put audio first and the active speaker's camera before the other cameras, and the
 * initial outgoing bitrate is below a commune link.
 */
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket as NetSocket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { botSuite } from './support/bot-suite';
import { connectBot, request } from './support/bot';
import { waitFor } from './support/poll';
import { SIGNALLING_HEARTBEAT } from '../src/signalling/gateway';
import { CONSUMER_PRIORITY } from '../src/media/codecs';

/** A TCP relay whose link can go dark: while stalled, bytes in both directions are held. */
async function stallableRelay(target: number) {
  let stalled = false;
  const held: Array<() => void> = [];
  const sockets = new Set<NetSocket>();
  const server: Server = createServer((client: NetSocket) => {
    const upstream = connect(target, '127.0.0.1');
    const pipe = (from: NetSocket, to: NetSocket) =>
      from.on('data', (d) => (stalled ? held.push(() => to.write(d)) : to.write(d)));
    sockets.add(client).add(upstream);
    pipe(client, upstream);
    pipe(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    stall: () => (stalled = true),
    restore: () => {
      stalled = false;
      for (const f of held.splice(0)) f();
    },
    destroy: () => sockets.forEach((x) => x.destroy()),
    close: () => new Promise((ok) => server.close(ok)),
  };
}

const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 3333 }],
};
const vp8 = (ssrc: number) => ({
  codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
  encodings: [{ ssrc }],
});

describe('weak links (server side)', () => {
  const suite = botSuite();
  const { issuer } = suite;

  it('keeps the signalling socket through an 18 s outage and defaults to a low start bitrate', async () => {
    expect(suite.sfu.config.initialOutgoingBitrate).toBe(300_000);
    const engine = (suite.sfu.io.engine as unknown as { opts: Record<string, number> }).opts;
    expect(engine.pingInterval).toBe(SIGNALLING_HEARTBEAT.pingIntervalMs);
    expect(engine.pingTimeout).toBe(SIGNALLING_HEARTBEAT.pingTimeoutMs);

    const relay = await stallableRelay(suite.sfu.port);
    const room = randomUUID();
    const s = await connectBot(`http://127.0.0.1:${relay.port}`, {
      token: issuer.sign({ sid: room }),
    });
    const reasons: string[] = [];
    s.on('disconnect', (r) => reasons.push(r));
    const caps = await request(s, 'getRouterRtpCapabilities');
    const joined = await request(s, 'join', { rtpCapabilities: caps.data });
    const peer = suite.sfu.rooms.get(room)!.peers.get(joined.data.peerId)!;
    const channel = peer.channel;

    try {
      relay.stall();
      const stalledAt = Date.now();
      await waitFor(() => Date.now() - stalledAt > 18_000, { timeoutMs: 22_000, intervalMs: 500 });
      relay.restore();
      // Same socket on both ends, and it still answers.
      const after = await request(s, 'getRouterRtpCapabilities');
      expect(after.ok).toBe(true);
      expect(reasons).toEqual([]);
      expect(peer.channel).toBe(channel);
      expect(peer.connected).toBe(true);
    } finally {
      s.close();
      relay.destroy();
      await relay.close();
    }
  }, 40_000);

  it('forwards audio first, then a shared document, then the speaker camera, then cameras', async () => {
    const room = randomUUID();
    const bots = await Promise.all([0, 1, 2].map(() => suite.joined({ sid: room })));
    const produce = async (i: number, kind: string, rtpParameters: unknown, source: string) => {
      const t = await request(bots[i]!.s, 'createTransport', { direction: 'send' });
      const p = await request(bots[i]!.s, 'produce', {
        transportId: t.data.id,
        kind,
        rtpParameters,
        appData: { source },
      });
      return p.data.id as string;
    };
    const mic = await produce(0, 'audio', OPUS, 'mic');
    const camera0 = await produce(0, 'video', vp8(4444), 'camera');
    const screen0 = await produce(0, 'video', vp8(5555), 'screen');
    const camera1 = await produce(1, 'video', vp8(6666), 'camera');
    const viewer = bots[2]!;
    const recv = await request(viewer.s, 'createTransport', { direction: 'recv' });
    const consumers = new Map<string, string>();
    for (const producerId of [mic, camera0, screen0, camera1]) {
      const c = await request(viewer.s, 'consume', {
        transportId: recv.data.id,
        producerId,
        rtpCapabilities: viewer.caps,
      });
      expect(c.ok).toBe(true);
      consumers.set(producerId, c.data.id);
    }
    const media = suite.sfu.rooms.get(room)!.peers.get(viewer.peerId)!.media!;
    const priority = (producerId: string) => media.consumer(consumers.get(producerId)!).priority;
    expect(priority(mic)).toBe(CONSUMER_PRIORITY.audio);
    expect(priority(screen0)).toBe(CONSUMER_PRIORITY.screen);
    expect(priority(camera0)).toBe(CONSUMER_PRIORITY.camera);
    expect(priority(camera1)).toBe(CONSUMER_PRIORITY.camera);
    // The active speaker changes to bot 1: its camera goes before bot 0's.
    await media.followSpeaker(bots[1]!.peerId);
    expect(priority(camera1)).toBe(CONSUMER_PRIORITY.speakerCamera);
    expect(priority(camera0)).toBe(CONSUMER_PRIORITY.camera);
    expect(priority(screen0)).toBe(CONSUMER_PRIORITY.screen);
    expect(priority(mic)).toBe(CONSUMER_PRIORITY.audio);
    // Audio is sent with retransmission on (NACK) when the receiver asks for it.
    expect(
      media.consumer(consumers.get(mic)!).rtpParameters.codecs[0]!.rtcpFeedback,
    ).toContainEqual(expect.objectContaining({ type: 'nack' }));
  });
});
