/**
 * A training room with real WebRTC sites (mediasoup-client on Node's WebRTC): one presenter and
 * 20 receiving sites. Every site decodes the presenter; a site without the floor cannot produce
 * (the SFU refuses it, whatever its UI does); raise hand → the presenter grants the floor → that
 * site's camera reaches everyone; no site is forwarded more than two videos (last-N); revoking
 * closes the site's producers. Prints the SFU's CPU and each site's received bitrate.
 */
import { TRAINING_MAX_VIDEOS } from '@caunoi/shared';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { AckError, type MediaBot } from './support/media-bot';
import { fillTrainingRoom, measureTraining } from './support/training-room';
import { waitFor } from './support/poll';
import { report } from './support/report';

const SITES = Number(process.env.TRAINING_SITES ?? 20);

describe('training room', () => {
  const issuer = createTokenIssuer();
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  let sid: string;
  let presenter: MediaBot;
  let sites: MediaBot[] = [];
  const everyone = () => [presenter, ...sites];

  beforeAll(async () => {
    sfu = await startTestSfu(issuer.publicPem);
    ({ sid, presenter, sites } = await fillTrainingRoom(sfu, issuer, SITES));
  }, 180_000);
  afterAll(async () => {
    for (const b of everyone()) b?.close();
    await sfu?.close();
  });

  const decodes = (bot: MediaBot, peerId: string) =>
    [...bot.videos.values()].some((v) => v.peerId === peerId && !v.closed && v.frames > 0);

  it(`every one of ${SITES} sites decodes the presenter's video; the room knows who presents`, async () => {
    await waitFor(() => sites.every((s) => decodes(s, presenter.peerId)), {
      timeoutMs: 60_000,
      message: () =>
        `sites decoding the presenter: ${sites.filter((s) => decodes(s, presenter.peerId)).length}/${SITES}`,
    });
    const last = sites[sites.length - 1]!;
    expect(last.training).toMatchObject({
      presenterPeerId: presenter.peerId,
      floorPeerId: null,
      maxVideos: TRAINING_MAX_VIDEOS,
    });
    await waitFor(() => presenter.training?.participants === SITES + 1);
  });

  it('a site without the floor cannot send: the SFU refuses its producer', async () => {
    const site = sites[0]!;
    const refused = await site.sendVideo('camera').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AckError);
    expect((refused as AckError).code).toBe('forbidden');
    expect(sfu.rooms.get(sid)!.peers.get(site.peerId)!.media!.producers.size).toBe(0);
    // Nor may it hand the floor to itself.
    await expect(site.ask('grantFloor', { peerId: site.peerId })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('raise hand → grant: the site sends, everyone receives it, nobody gets more than 2 videos', async () => {
    const speaker = sites[1]!;
    await speaker.ask('raiseHand', { raised: true });
    await waitFor(() => presenter.training?.hands.some((h: any) => h.peerId === speaker.peerId));
    const state = await presenter.ask('grantFloor', { peerId: speaker.peerId });
    expect(state).toMatchObject({ floorPeerId: speaker.peerId, hands: [] });
    await speaker.sendVideo('camera');
    const others = everyone().filter((b) => b !== speaker);
    await waitFor(() => others.every((b) => decodes(b, speaker.peerId)), {
      timeoutMs: 60_000,
      message: () =>
        `receiving the floor: ${others.filter((b) => decodes(b, speaker.peerId)).length}/${others.length}`,
    });

    const before = new Map(sites.map((s) => [s, s.frameSnapshot()]));
    const figures = await measureTraining(sfu, sid, sites, 5_000);
    for (const s of sites.filter((x) => x !== speaker)) {
      const flowing = s.flowingSince(before.get(s)!);
      // The presenter's shared screen and the floor holder's camera; the presenter's camera waits.
      expect(flowing.length).toBeLessThanOrEqual(TRAINING_MAX_VIDEOS);
      expect(flowing.map((v) => v.peerId).sort()).toEqual(
        [presenter.peerId, speaker.peerId].sort(),
      );
    }
    expect(Math.max(...figures.forwardedVideos)).toBeLessThanOrEqual(TRAINING_MAX_VIDEOS);
    report('training room', {
      sites: figures.sites,
      windowSeconds: figures.windowSeconds,
      sfuWorkerCpuPercent: figures.workerCpuPercent,
      receiverKbpsMin: Math.min(...figures.receiverKbps),
      receiverKbpsMedian: [...figures.receiverKbps].sort((a, b) => a - b)[
        Math.floor(figures.receiverKbps.length / 2)
      ],
      receiverKbpsMax: Math.max(...figures.receiverKbps),
      receiverKbps: figures.receiverKbps,
    });
  });

  it('revoking the floor closes the site producer; it cannot send again', async () => {
    const speaker = sites[1]!;
    await presenter.ask('revokeFloor', { peerId: speaker.peerId });
    await waitFor(() =>
      sites
        .filter((s) => s !== speaker)
        .every((s) =>
          [...s.videos.values()].filter((v) => v.peerId === speaker.peerId).every((v) => v.closed),
        ),
    );
    expect(sfu.rooms.get(sid)!.peers.get(speaker.peerId)!.media!.producers.size).toBe(0);
    const refused = await speaker.sendVideo('camera').catch((e: unknown) => e);
    expect((refused as AckError).code).toBe('forbidden');
    expect(speaker.training.floorPeerId).toBeNull();
  });
});
