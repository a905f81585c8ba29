/**
 * Who a peer is and how long it may stay, with Node socket.io clients against a real worker:
 * names from the token only, one peer per user and session (a second connection takes the peer
 * over and the first is told `peerReplaced`), no new peer on a socket without a valid token,
 * producer appData reduced to {source}, and the API's command that ends a session.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { sfuEndSessionPath } from '@caunoi/shared';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { admission, connectBot, request } from './support/bot';
import { waitFor } from './support/poll';

const SERVICE_TOKEN = 'test-service-token-0123456789';
const OPUS = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 2222 }],
};

describe('session rules', () => {
  const issuer = createTokenIssuer();
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  const open: Socket[] = [];
  const bot = async (auth: Record<string, unknown>) => {
    const s = await connectBot(sfu.url, auth);
    open.push(s);
    return s;
  };
  const events = (s: Socket) => {
    const seen: Array<{ event: string; data: any }> = [];
    s.onAny((event: string, data: unknown) => seen.push({ event, data }));
    s.on('disconnect', (reason) => seen.push({ event: 'disconnect', data: reason }));
    return seen;
  };
  const joinBot = async (claims: { sid: string; sub?: string; name?: string }) => {
    const s = await bot({ token: issuer.sign(claims) });
    const seen = events(s);
    const caps = await request(s, 'getRouterRtpCapabilities');
    const joined = await request(s, 'join', { rtpCapabilities: caps.data, displayName: 'Giả' });
    return { s, seen, caps: caps.data, joined };
  };
  const endSession = (sessionId: string, auth?: string, body?: unknown) =>
    fetch(`${sfu.url}${sfuEndSessionPath(sessionId)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth ? { authorization: auth } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sfu = await startTestSfu(issuer.publicPem, {
      SFU_SERVICE_TOKEN: SERVICE_TOKEN,
      SFU_RECONNECT_GRACE_SECONDS: '20',
    });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await sfu?.close();
  });

  it('takes names from the token only, whatever join says', async () => {
    const room = randomUUID();
    const a = await joinBot({ sid: room, name: 'Bác sĩ Thật' });
    expect(a.joined.ok).toBe(true);
    const b = await joinBot({ sid: room, name: 'Trạm Y tế xã 2' });
    expect(b.joined.data.peers).toEqual([
      expect.objectContaining({ id: a.joined.data.peerId, displayName: 'Bác sĩ Thật' }),
    ]);
    await waitFor(() => a.seen.some((e) => e.event === 'peerJoined'));
    expect(a.seen.find((e) => e.event === 'peerJoined')!.data.displayName).toBe('Trạm Y tế xã 2');
  });

  it('keeps one peer per user: a second connection takes the peer over, the first is told', async () => {
    const room = randomUUID();
    const user = randomUUID();
    const first = await joinBot({ sid: room, sub: user });
    const other = await joinBot({ sid: room });
    const peerId = first.joined.data.peerId as string;

    // The same user again (a phone back on the network, a second tab), no peerId, a fresh token.
    const second = await bot({ token: issuer.sign({ sid: room, sub: user }) });
    await waitFor(() => first.seen.some((e) => e.event === 'disconnect'), {
      message: 'first socket not closed',
    });
    expect(first.seen.find((e) => e.event === 'peerReplaced')?.data).toEqual({ peerId });
    expect(first.seen.find((e) => e.event === 'disconnect')?.data).toBe('io server disconnect');
    const r = sfu.rooms.get(room)!;
    expect([...r.peers.values()].filter((p) => p.userId === user)).toHaveLength(1);
    // The new socket sees what the SFU still holds for the peer (a bot without transports).
    expect((await request(second, 'resume')).data).toEqual({
      peerId,
      media: true,
      transports: [],
      producers: [],
      consumers: [],
    });
    const again = await request(second, 'join', { rtpCapabilities: first.caps });
    expect(again.data).toMatchObject({ peerId, resumed: true });
    expect(r.peers.size).toBe(2);
    // The others saw neither a departure nor a second arrival.
    expect(other.seen.filter((e) => ['peerLeft', 'peerJoined'].includes(e.event))).toEqual([]);
  });

  it('re-creates a peer that left only while its token is valid', async () => {
    const room = randomUUID();
    const token = issuer.sign({ sid: room }, { expiresIn: 2 });
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    const s = await bot({ token });
    const seen = events(s);
    const caps = await request(s, 'getRouterRtpCapabilities');
    const first = await request(s, 'join', { rtpCapabilities: caps.data });
    await request(s, 'leave');
    // Still valid: leaving and joining again on the same socket makes a new peer.
    const second = await request(s, 'join', { rtpCapabilities: caps.data });
    expect(second.ok).toBe(true);
    expect(second.data.peerId).not.toBe(first.data.peerId);
    await request(s, 'leave');
    await waitFor(() => Date.now() / 1000 > exp + 6, { timeoutMs: 15_000, intervalMs: 200 });
    expect(await request(s, 'join', { rtpCapabilities: caps.data })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    await waitFor(() => seen.some((e) => e.event === 'disconnect'));
    expect(sfu.rooms.get(room)).toBeUndefined();
  }, 30_000);

  it('forwards a producer appData as {source} only', async () => {
    const room = randomUUID();
    const a = await joinBot({ sid: room });
    const b = await joinBot({ sid: room });
    const t = await request(a.s, 'createTransport', { direction: 'send' });
    const produced = await request(a.s, 'produce', {
      transportId: t.data.id,
      kind: 'audio',
      rtpParameters: OPUS,
      appData: { source: 'mic', note: 'x'.repeat(60_000), peerId: 'someone-else' },
    });
    expect(produced.ok).toBe(true);
    await waitFor(() => b.seen.some((e) => e.event === 'newProducer'));
    const announced = b.seen.find((e) => e.event === 'newProducer')!.data;
    expect(announced).toMatchObject({ id: produced.data.id, peerId: a.joined.data.peerId });
    expect(announced.appData).toEqual({ source: 'mic' });
    const held = sfu.rooms.get(room)!.peers.get(a.joined.data.peerId)!.media!.producers;
    expect(held.get(produced.data.id)!.appData).toEqual({
      peerId: a.joined.data.peerId,
      source: 'mic',
    });
    const c = await joinBot({ sid: room });
    expect(c.joined.data.producers).toEqual([
      expect.objectContaining({ id: produced.data.id, appData: { source: 'mic' } }),
    ]);
  });

  it('ends a session on the API command: peers told, room closed, later joins refused', async () => {
    const room = randomUUID();
    const a = await joinBot({ sid: room });
    const b = await joinBot({ sid: room });
    const bearer = `Bearer ${SERVICE_TOKEN}`;

    for (const auth of [
      undefined,
      'Bearer wrong',
      `Basic ${SERVICE_TOKEN}`,
      `Bearer ${SERVICE_TOKEN}x`,
    ]) {
      const res = await endSession(room, auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
    expect(sfu.rooms.get(room)?.peers.size).toBe(2);
    const bad = await endSession('not-a-uuid', bearer);
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/sessionId/);
    const badBody = await endSession(room, bearer, { reason: 42 });
    expect(badBody.status).toBe(400);
    expect((await badBody.json()).message).toMatch(/reason/);

    const ended = await endSession(room, bearer, { reason: 'ended_by_chair' });
    expect(ended.status).toBe(204);
    for (const peer of [a, b]) {
      await waitFor(() => peer.seen.some((e) => e.event === 'disconnect'), {
        message: 'socket not closed at session end',
      });
      expect(peer.seen.find((e) => e.event === 'sessionEnded')?.data).toEqual({
        sessionId: room,
        reason: 'ended_by_chair',
      });
    }
    expect(sfu.rooms.get(room)).toBeUndefined();
    // Idempotent, and a session this SFU never hosted is remembered as ended too.
    expect((await endSession(room, bearer)).status).toBe(204);
    const never = randomUUID();
    expect((await endSession(never, bearer)).status).toBe(204);
    for (const sid of [room, never])
      expect(await admission(sfu.url, { token: issuer.sign({ sid }) })).toBe('session_ended');
    const m = await (await fetch(`${sfu.url}/metrics`)).text();
    expect(m).toMatch(/sfu_admissions_total\{result="session_ended"\} [1-9]/);
  });
});
