/**
 * Kill a mediasoup worker process mid-call: the pool replaces it, the room is rebuilt, the
 * clients are told to rejoin, and video flows again within 10 s.
 */
import { randomUUID } from 'node:crypto';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { startBrowserHarness, type BrowserHarness, type PeerPage } from './support/browser';
import { waitFor } from './support/poll';
import { connectBot, request } from './support/bot';
import { report } from './support/report';

describe('worker death mid-call', () => {
  const issuer = createTokenIssuer();
  const room = randomUUID();
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  let browsers: BrowserHarness;

  beforeAll(async () => {
    sfu = await startTestSfu(issuer.publicPem, { SFU_WORKERS: '2' });
    browsers = await startBrowserHarness();
  });
  afterAll(async () => {
    await browsers?.close();
    await sfu?.close();
  });

  const decodingAll = async (peer: PeerPage, remotes: number, exclude: Set<string> = new Set()) => {
    const v = (await peer.video()).filter((s) => !exclude.has(s.id));
    return v.length === remotes && v.every((s) => s.framesDecoded > 0);
  };

  it('replaces the worker, rebuilds the room and peers receive video again within 10 s', async () => {
    const peers: PeerPage[] = [];
    for (const name of ['central', 'district', 'commune']) {
      const peer = await browsers.newPeer(name);
      await peer.join({ url: sfu.url, token: issuer.sign({ sid: room, name }) });
      peers.push(peer);
    }
    for (const p of peers)
      await waitFor(() => decodingAll(p, 2), {
        timeoutMs: 40_000,
        message: `${p.name} never decoded`,
      });

    const slot = sfu.rooms.get(room)!.slots[0]!;
    // Another session, placed on the other (less loaded) worker, must not notice anything.
    const otherRoom = randomUUID();
    const bystander = await connectBot(sfu.url, { token: issuer.sign({ sid: otherRoom }) });
    const bystanderEvents: string[] = [];
    bystander.onAny((event: string) => bystanderEvents.push(event));
    const caps = await request(bystander, 'getRouterRtpCapabilities');
    expect((await request(bystander, 'join', { rtpCapabilities: caps.data })).ok).toBe(true);
    const otherSlot = sfu.rooms.get(otherRoom)!.slots[0]!;
    expect(otherSlot).not.toBe(slot);
    const oldPid = slot.pid;
    const oldConsumers = new Set<string>();
    for (const p of peers) for (const s of await p.stats()) oldConsumers.add(s.id);

    const killedAt = Date.now();
    process.kill(oldPid, 'SIGKILL');

    const recovered: Record<string, number> = {};
    await Promise.all(
      peers.map(async (p) => {
        await waitFor(() => decodingAll(p, 2, oldConsumers), {
          timeoutMs: 30_000,
          intervalMs: 100,
          message: async () =>
            `${p.name} did not recover: ${JSON.stringify(await p.stats())} ${JSON.stringify(await p.events())}`,
        });
        recovered[p.name] = Date.now() - killedAt;
      }),
    );
    const worst = Math.max(...Object.values(recovered));
    const events = await peers[0]!.events();
    report('worker death: recovery', {
      killedPid: oldPid,
      replacementPid: slot.pid,
      msUntilVideoDecodedAgain: recovered,
      worstMs: worst,
      rejoinEvents: events.filter((e) => e.event === 'rejoin').length,
      framesAfter: (await peers[0]!.video())
        .filter((s) => !oldConsumers.has(s.id))
        .map((s) => s.framesDecoded),
    });
    expect(worst).toBeLessThan(10_000);
    expect(events.some((e) => e.event === 'rejoin')).toBe(true);
    // The dead worker's slot has a new process on the same WebRtcServer port.
    await waitFor(() => slot.alive && slot.pid !== oldPid, { message: 'worker not replaced' });
    expect(sfu.pool.aliveSlots()).toHaveLength(2);
    // No one was reported as having left.
    expect(events.some((e) => e.event === 'peerLeft')).toBe(false);
    const health = await fetch(`${sfu.url}/health`).then((r) => r.json());
    expect(health).toMatchObject({ status: 'ok', workers: { alive: 2, total: 2 }, peers: 4 });
    const metrics = await fetch(`${sfu.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/sfu_worker_deaths_total\{worker="\d"\} 1/);
    // The other session's router lives on; its peer was not asked to rejoin.
    expect(sfu.rooms.get(otherRoom)!.slots).toEqual([otherSlot]);
    expect(bystanderEvents).not.toContain('rejoin');
    expect((await request(bystander, 'createTransport', { direction: 'recv' })).ok).toBe(true);
    bystander.close();
  });
});
