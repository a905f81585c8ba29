/**
 * Walking skeleton: join-token admission, and two real Chromium peers publishing and consuming
 * through a real mediasoup worker. Attendance is reported to a fake API.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { admission } from './support/bot';
import { startBrowserHarness, type BrowserHarness } from './support/browser';
import { waitFor } from './support/poll';
import { report } from './support/report';

describe('join-token admission and two Chromium peers (walking skeleton)', () => {
  const issuer = createTokenIssuer();
  const stranger = createTokenIssuer();
  const room = randomUUID();
  const attendance: Array<{ auth?: string; body: any }> = [];
  let api: Server;
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  let browsers: BrowserHarness;

  beforeAll(async () => {
    api = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/api/internal/attendance')
          attendance.push({ auth: req.headers.authorization, body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    sfu = await startTestSfu(issuer.publicPem, {
      API_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
      SFU_SERVICE_TOKEN: 'service-token-for-tests',
    });
    browsers = await startBrowserHarness();
  });

  afterAll(async () => {
    await browsers?.close();
    await sfu?.close();
    await new Promise((r) => api?.close(r));
  });

  it('admits a socket with a valid join token', async () => {
    expect(await admission(sfu.url, { token: issuer.sign({ sid: room }) })).toBe('connected');
    expect(await admission(sfu.url, { token: issuer.sign({ sid: room }), sessionId: room })).toBe(
      'connected',
    );
  });

  it.each([
    ['no token', () => ({})],
    ['an expired token', () => ({ token: issuer.signExpired({ sid: room }) })],
    [
      'a tampered token',
      () => ({ token: tamper(issuer.sign({ sid: room }), { sid: randomUUID() }) }),
    ],
    ['a token signed by another key', () => ({ token: stranger.sign({ sid: room }) })],
  ])('refuses %s (unauthorized)', async (_name, auth) => {
    expect(await admission(sfu.url, auth())).toBe('unauthorized');
  });

  it('refuses a token for another room (forbidden)', async () => {
    expect(
      await admission(sfu.url, { token: issuer.sign({ sid: randomUUID() }), sessionId: room }),
    ).toBe('forbidden');
  });

  it('two Chromium peers publish and consume: video decoded and audio received on both sides', async () => {
    const [alice, bob] = [await browsers.newPeer('alice'), await browsers.newPeer('bob')];
    const aliceUser = randomUUID();
    const bobUser = randomUUID();
    const started = Date.now();
    const a = await alice.join({
      url: sfu.url,
      token: issuer.sign({ sid: room, sub: aliceUser, name: 'Alice' }),
      sessionId: room,
    });
    const b = await bob.join({
      url: sfu.url,
      token: issuer.sign({ sid: room, sub: bobUser, name: 'Bob' }),
    });
    expect(b.peers).toEqual([
      expect.objectContaining({ id: a.peerId, userId: aliceUser, displayName: 'Alice' }),
    ]);

    for (const peer of [alice, bob]) {
      await waitFor(
        async () => {
          const [v] = await peer.video();
          const [au] = await peer.audio();
          return v && au && v.framesDecoded > 0 && au.packetsReceived > 0 && au.bytesReceived > 0;
        },
        {
          timeoutMs: 30_000,
          message: async () => `${peer.name}: ${JSON.stringify(await peer.stats())}`,
        },
      );
    }
    const decodeMs = Date.now() - started;
    const aStats = await alice.stats();
    const bStats = await bob.stats();
    report('admission: two Chromium peers', {
      msToDecodeBoth: decodeMs,
      alice: aStats,
      bob: bStats,
    });

    // Attendance: both joins reported with the service token, per the shared schema.
    await waitFor(() => attendance.filter((e) => e.body.event === 'joined').length >= 2);
    expect(attendance.every((e) => e.auth === 'Bearer service-token-for-tests')).toBe(true);
    expect(attendance.map((e) => [e.body.userId, e.body.event, e.body.sessionId])).toEqual(
      expect.arrayContaining([
        [aliceUser, 'joined', room],
        [bobUser, 'joined', room],
      ]),
    );

    await bob.leave();
    await waitFor(() =>
      attendance.some((e) => e.body.userId === bobUser && e.body.event === 'left'),
    );
    await alice.leave();
    await alice.close();
    await bob.close();
    await waitFor(() => sfu.rooms.rooms.size === 0, {
      timeoutMs: 10_000,
      message: 'room closed once empty',
    });
  });
});

function tamper(token: string, changes: Record<string, unknown>): string {
  const [h, p, s] = token.split('.');
  const payload = { ...JSON.parse(Buffer.from(p!, 'base64url').toString()), ...changes };
  return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
}
