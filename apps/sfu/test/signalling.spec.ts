/**
 * Signalling rules checked with Node socket.io clients (no media): serialised room/router
 * creation, join-first, transport limit, resume with an expired token only for its own peer.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { admission, connectBot, request } from './support/bot';
import { waitFor } from './support/poll';

describe('signalling rules', () => {
  const issuer = createTokenIssuer();
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  const open: Socket[] = [];
  const bot = async (auth: Record<string, unknown>) => {
    const s = await connectBot(sfu.url, auth);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    sfu = await startTestSfu(issuer.publicPem, {
      SFU_WORKERS: '2',
      SFU_RECONNECT_GRACE_SECONDS: '20',
    });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await sfu?.close();
  });

  it('ten peers arriving at once share one room and one router', async () => {
    const room = randomUUID();
    const sockets = await Promise.all(
      Array.from({ length: 10 }, () => bot({ token: issuer.sign({ sid: room }) })),
    );
    const caps = await Promise.all(sockets.map((s) => request(s, 'getRouterRtpCapabilities')));
    const joins = await Promise.all(
      sockets.map((s, i) => request(s, 'join', { rtpCapabilities: caps[i].data })),
    );
    expect(joins.every((j) => j.ok)).toBe(true);
    expect(sfu.rooms.get(room)!.routerCount).toBe(1);
    expect(sfu.rooms.get(room)!.peers.size).toBe(10);
    // Everyone but the last saw later arrivals as peerJoined; the last saw 9 peers in its answer.
    expect(Math.max(...joins.map((j) => j.data.peers.length))).toBe(9);
    for (const s of sockets) s.close();
    await waitFor(() => !sfu.rooms.get(room), { message: 'room not closed after everyone left' });
  });

  it('refuses media requests before join and limits transports per peer', async () => {
    const s = await bot({ token: issuer.sign({ sid: randomUUID() }) });
    expect(await request(s, 'createTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const caps = await request(s, 'getRouterRtpCapabilities');
    await request(s, 'join', { rtpCapabilities: caps.data });
    for (let i = 0; i < 4; i++)
      expect((await request(s, 'createTransport', { direction: 'recv' })).ok).toBe(true);
    expect(await request(s, 'createTransport', { direction: 'recv' })).toMatchObject({
      ok: false,
      error: { code: 'limit_exceeded' },
    });
    expect(
      await request(s, 'setPreferredLayers', { consumerId: 'nope', spatialLayer: 1 }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('an expired token resumes only the peer it admitted', async () => {
    const room = randomUUID();
    const user = randomUUID();
    const token = issuer.sign({ sid: room, sub: user }, { expiresIn: 2 });
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    const first = await bot({ token });
    const caps = await request(first, 'getRouterRtpCapabilities');
    const joined = await request(first, 'join', { rtpCapabilities: caps.data });
    const peerId = joined.data.peerId as string;
    const other = await bot({ token: issuer.sign({ sid: room }) });
    await request(other, 'join', { rtpCapabilities: caps.data });

    // Network drop (not a leave): the peer waits in its grace period.
    (first.io.engine as unknown as { close(): void }).close();
    const peer = sfu.rooms.get(room)!.peers.get(peerId)!;
    await waitFor(() => !peer.connected && peer.disconnectedAt !== undefined, {
      message: 'drop not seen',
    });
    // Wait until the token is past its expiry (plus the 5 s clock tolerance).
    await waitFor(() => Date.now() / 1000 > exp + 6, { timeoutMs: 15_000, intervalMs: 200 });

    expect(await admission(sfu.url, { token })).toBe('unauthorized');
    expect(
      await admission(sfu.url, { token: issuer.signExpired({ sid: room, sub: user }), peerId }),
    ).toBe('unauthorized');
    const back = await bot({ token, peerId });
    await waitFor(() => peer.connected, { message: 'not resumed' });
    expect(sfu.rooms.get(room)!.peers.get(peerId)).toBe(peer);
    const again = await request(back, 'join', { rtpCapabilities: caps.data });
    expect(again.data).toMatchObject({ peerId, resumed: true });
  }, 40_000);
});
