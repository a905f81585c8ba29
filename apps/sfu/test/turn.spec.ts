/**
 * TURN with time-limited credentials against a real coturn: two Chromium peers forced to relay
 * (`iceTransportPolicy: 'relay'`, as behind a firewall that drops direct media) decode each
 * other through it with the credentials of the SFU's createTransport answer; coturn refuses an
 * expired credential; and without TURN a relay-only client gets no media path at all.
 */
import { randomUUID } from 'node:crypto';
import { turnIceServer } from '@caunoi/shared';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { startBrowserHarness, type BrowserHarness, type PeerPage } from './support/browser';
import { startCoturn, type Coturn } from './support/coturn';
import { waitFor } from './support/poll';

describe('TURN relay with TURN REST API credentials (real coturn, Chromium peers)', () => {
  const issuer = createTokenIssuer();
  let coturn: Coturn;
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  let browsers: BrowserHarness;

  beforeAll(async () => {
    coturn = await startCoturn();
    sfu = await startTestSfu(issuer.publicPem, {
      TURN_URLS: coturn.url,
      TURN_SECRET: coturn.secret,
    });
    browsers = await startBrowserHarness();
  });
  afterAll(async () => {
    await browsers?.close();
    await sfu?.close();
    await coturn?.close();
  });

  it('two relay-only peers decode each other through coturn with the SFU-issued credentials', async () => {
    const room = randomUUID();
    const peers: PeerPage[] = [];
    const userIds = [randomUUID(), randomUUID()];
    for (const [i, sub] of userIds.entries()) {
      const peer = await browsers.newPeer(`relay${i}`);
      await peer.join({
        url: sfu.url,
        token: issuer.sign({ sid: room, sub, name: `site ${i}` }),
        iceTransportPolicy: 'relay',
      });
      peers.push(peer);
    }
    for (const [i, peer] of peers.entries()) {
      const [turn] = await peer.iceServersSeen();
      const [expiry, user] = String(turn.username).split(':');
      expect(user).toBe(userIds[i]);
      expect(Number(expiry)).toBeGreaterThan(Date.now() / 1000 + 3600);
      await waitFor(
        async () => (await peer.stats()).some((s) => s.kind === 'video' && s.framesDecoded > 0),
        {
          timeoutMs: 45_000,
          message: async () => `${peer.name}: ${JSON.stringify(await peer.paths())}`,
        },
      );
      const paths = await peer.paths();
      expect(paths.map((p) => [p.state, p.localCandidate])).toEqual([
        ['connected', 'relay'],
        ['connected', 'relay'],
      ]);
    }
  });

  /** Relay candidates a fresh RTCPeerConnection gathers with these servers, and ICE errors. */
  async function gather(peer: PeerPage, iceServers: RTCIceServer[]) {
    return peer.page.evaluate(async (servers) => {
      const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
      const relays: string[] = [];
      const errors: number[] = [];
      pc.onicecandidate = (e) => {
        if (e.candidate?.type === 'relay') relays.push(e.candidate.candidate);
      };
      pc.onicecandidateerror = (e) => errors.push((e as RTCPeerConnectionIceErrorEvent).errorCode);
      pc.createDataChannel('probe');
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
        setTimeout(resolve, 15_000);
      });
      pc.close();
      return { relays, errors };
    }, iceServers);
  }

  it('coturn relays for a valid credential and refuses one whose expiry has passed', async () => {
    const peer = await browsers.newPeer('probe');
    const turn = { urls: [coturn.url], secret: coturn.secret };
    const valid = await gather(peer, [await turnIceServer(turn, 'u1', Date.now() / 1000 + 600)]);
    expect(valid.relays.length).toBeGreaterThan(0);
    const expired = await gather(peer, [await turnIceServer(turn, 'u1', Date.now() / 1000 - 60)]);
    expect(expired.relays).toEqual([]);
    expect(expired.errors).toContain(401);
    const forged = await gather(peer, [
      { ...(await turnIceServer(turn, 'u1', Date.now() / 1000 + 600)), credential: 'bm9wZQ==' },
    ]);
    expect(forged.relays).toEqual([]);
    await peer.close();
  });

  it('without TURN a relay-only client gets no media path', async () => {
    const peer = await browsers.newPeer('no-turn');
    await peer.join({
      url: sfu.url,
      token: issuer.sign({ sid: randomUUID(), name: 'blocked' }),
      iceTransportPolicy: 'relay',
      iceServers: [],
    });
    // A relay-only client with no TURN server has no candidate to offer: give ICE a while (the
    // relay peers above connected well within it) and it must still have no media path.
    const paths = await waitFor(
      async () => {
        const p = await peer.paths();
        return p.some((x) => x.state === 'connected' || x.state === 'failed') && p;
      },
      { timeoutMs: 15_000 },
    ).catch(async () => peer.paths());
    expect(paths.some((p) => p.state === 'connected')).toBe(false);
    expect(paths.every((p) => p.localCandidate === undefined)).toBe(true);
    await peer.close();
  });
});
