/**
 * The SFU-side governor with a real worker and real WebRTC peers (Node, libvpx): a receiver whose
 * transport may carry 200 kbit/s (SFU_MAX_OUTGOING_BITRATE) is sent three cameras; the governor
 * keeps the first video in priority order, pauses the two that do not fit and tells the receiver
 * (`videoHeld`), which then decodes only that one. With room again, it releases both (told the
 * same way) and all three decode. The client's own pause is never overridden.
 */
import { randomUUID } from 'node:crypto';
import { botSuite } from './support/bot-suite';
import { waitFor } from './support/poll';
import { MediaBot } from './support/media-bot';

describe('SFU layer governor', () => {
  // The estimate starts high (loopback carries it) and the configured cap is what binds.
  const suite = botSuite({
    SFU_INITIAL_OUTGOING_BITRATE: '1000000',
    SFU_MAX_OUTGOING_BITRATE: '200000',
  });

  it('pauses the videos that do not fit beside the first, tells the receiver, releases them', async () => {
    const room = randomUUID();
    const token = () => suite.issuer.sign({ sid: room });
    const senders = await Promise.all([0, 1, 2].map(() => MediaBot.join(suite.sfu.url, token())));
    const receiver = await MediaBot.join(suite.sfu.url, token());
    try {
      for (const s of senders) await s.sendVideo('camera');
      await waitFor(() => receiver.videos.size === 3, { message: 'three videos consumed' });
      const media = suite.sfu.rooms.get(room)!.peers.get(receiver.peerId)!.media!;
      const videos = () => [...media.consumers.values()].filter((c) => c.kind === 'video');
      const heldEvents = () => receiver.events.filter((e) => e.event === 'videoHeld');
      const held = await waitFor(
        () => {
          const ids = new Set(
            heldEvents()
              .filter((e) => e.data.held)
              .map((e) => e.data.consumerId),
          );
          return ids.size === 2 ? ids : null;
        },
        { timeoutMs: 20_000, message: () => `videoHeld: ${JSON.stringify(heldEvents())}` },
      );
      const kept = videos().find((c) => !held.has(c.id))!;
      for (const c of videos()) {
        expect(c.paused).toBe(held.has(c.id));
        expect(c.appData.governorPaused ?? false).toBe(held.has(c.id));
      }
      // The kept video still decodes at the receiver.
      const before = receiver.frameSnapshot();
      await waitFor(
        () => receiver.flowingSince(before).some((v) => v.producerId === kept.producerId),
        {
          message: 'the kept video decodes',
        },
      );
      // A resume from the client does not override the governor while the line is full.
      const heldId = [...held][0]!;
      expect(await receiver.ask('resumeConsumer', { consumerId: heldId })).toEqual({
        paused: true,
      });

      // Room again: the governor releases both and says so.
      const recv = [...media.transports.values()].find(
        (t) => (t.appData as { direction: string }).direction === 'recv',
      )!;
      (recv.appData as { maxOutgoingBitrate?: number }).maxOutgoingBitrate = 5_000_000;
      await recv.setMaxOutgoingBitrate(5_000_000);
      await waitFor(
        () =>
          [...held].every((id) =>
            heldEvents().some((e) => e.data.consumerId === id && !e.data.held),
          ),
        { timeoutMs: 20_000, message: () => `videoHeld: ${JSON.stringify(heldEvents())}` },
      );
      expect(videos().every((c) => !c.paused)).toBe(true);
      const again = receiver.frameSnapshot();
      await waitFor(() => receiver.flowingSince(again).length === 3, {
        timeoutMs: 20_000,
        message: 'all three videos decode again',
      });
    } finally {
      receiver.close();
      senders.forEach((s) => s.close());
    }
  }, 90_000);
});
