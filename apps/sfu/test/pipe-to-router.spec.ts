/**
 * A room that outgrows its router's consumer budget (forced to 1 here) puts its next peer on a
 * router of another worker, joined with pipeToRouter; video flows both ways across the pipe.
 */
import { randomUUID } from 'node:crypto';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { startBrowserHarness, type BrowserHarness, type PeerPage } from './support/browser';
import { waitFor } from './support/poll';
import { report } from './support/report';

describe('pipeToRouter across workers (consumer budget forced low)', () => {
  const issuer = createTokenIssuer();
  const room = randomUUID();
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  let browsers: BrowserHarness;

  beforeAll(async () => {
    sfu = await startTestSfu(issuer.publicPem, {
      SFU_WORKERS: '2',
      SFU_MAX_CONSUMERS_PER_ROUTER: '1',
    });
    browsers = await startBrowserHarness();
  });
  afterAll(async () => {
    await browsers?.close();
    await sfu?.close();
  });

  const decoding = async (peer: PeerPage, remotes: number) => {
    const v = await peer.video();
    const a = await peer.audio();
    return (
      v.length === remotes &&
      a.length === remotes &&
      v.every((s) => s.framesDecoded > 0) &&
      a.every((s) => s.packetsReceived > 0)
    );
  };

  it('bridges two routers on different workers and carries video between their peers', async () => {
    const a = await browsers.newPeer('a');
    const b = await browsers.newPeer('b');
    const ra = await a.join({ url: sfu.url, token: issuer.sign({ sid: room, name: 'A' }) });
    const rb = await b.join({ url: sfu.url, token: issuer.sign({ sid: room, name: 'B' }) });
    // A and B share the first router; once they consume each other its budget is exceeded.
    await waitFor(() => decoding(a, 1), { timeoutMs: 30_000, message: 'A never decoded B' });
    await waitFor(() => decoding(b, 1), { timeoutMs: 30_000, message: 'B never decoded A' });
    const c = await browsers.newPeer('c');
    const rc = await c.join({ url: sfu.url, token: issuer.sign({ sid: room, name: 'C' }) });

    const r = sfu.rooms.get(room)!;
    const slotA = r.routerSlotOfPeer(r.peers.get(ra.peerId)!)!;
    const slotB = r.routerSlotOfPeer(r.peers.get(rb.peerId)!)!;
    const slotC = r.routerSlotOfPeer(r.peers.get(rc.peerId)!)!;
    expect(slotA).toBe(slotB);
    expect(slotC).not.toBe(slotA);
    expect(r.routerCount).toBe(2);

    for (const p of [a, b, c]) {
      await waitFor(() => decoding(p, 2), {
        timeoutMs: 30_000,
        message: async () => `${p.name}: ${JSON.stringify(await p.stats())}`,
      });
    }
    const cStats = await c.stats();
    const aStats = await a.stats();
    report('pipeToRouter', {
      workers: { A: slotA.index, B: slotB.index, C: slotC.index },
      cReceivesAcrossPipe: cStats,
      aReceivesFromC: aStats.filter((s) => s.peerId === rc.peerId),
    });
    await Promise.all([a.leave(), b.leave(), c.leave()]);
    await waitFor(() => sfu.rooms.rooms.size === 0, { message: 'room closed' });
  });
});
