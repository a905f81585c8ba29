import type { PeerMedia } from '../media/peer-media';
import { Peer } from './peer';
import { TrainingFloor, type FloorRoom } from './training-floor';

/** A stand-in for a peer's media: producers by source, and the last last-N gate it was given. */
function fakeMedia(owner: string, sources: string[]) {
  const producers = new Map(
    sources.map((source) => [
      source,
      {
        id: `${owner}-${source}`,
        closed: false,
        close() {
          this.closed = true;
          producers.delete(source);
        },
      },
    ]),
  );
  const media = {
    gate: undefined as undefined | ((producerId: string) => boolean),
    producerBySource: (s: string) => producers.get(s),
    gateVideo: async (allowed: (id: string) => boolean) => {
      media.gate = allowed;
    },
  };
  return media;
}

function room() {
  const peers = new Map<string, Peer>();
  const events: Array<[string, any]> = [];
  const add = (
    id: string,
    opts: { presenter?: boolean; moderator?: boolean; sources?: string[] } = {},
  ) => {
    const peer = new Peer({
      id,
      userId: `u-${id}`,
      displayName: id,
      facility: { id: null, name: 'Trạm Y tế xã' },
      presenter: opts.presenter,
      moderator: opts.moderator,
    });
    peer.attendanceReported = true;
    peer.media = fakeMedia(id, opts.sources ?? []) as unknown as PeerMedia;
    peers.set(id, peer);
    return peer;
  };
  const r: FloorRoom = { peers, broadcast: (event, data) => events.push([event, data]) };
  return { floor: new TrainingFloor(r), add, events, peers };
}

const media = (p: Peer) => p.media as unknown as ReturnType<typeof fakeMedia>;

describe('TrainingFloor', () => {
  it('only the presenter and the floor holder may produce; the holder not a screen', () => {
    const { floor, add } = room();
    const presenter = add('presenter', { presenter: true });
    const site = add('site');
    expect(() => floor.checkProduce(presenter, 'screen')).not.toThrow();
    expect(() => floor.checkProduce(site, 'camera')).toThrow(/only the presenter/);
    floor.grant(presenter, 'site');
    expect(() => floor.checkProduce(site, 'camera')).not.toThrow();
    expect(() => floor.checkProduce(site, 'mic')).not.toThrow();
    expect(() => floor.checkProduce(site, 'screen')).toThrow();
    // Taken back while the producer was being made: it is closed and refused.
    floor.revoke(presenter);
    const made = { closed: false, close: () => (made.closed = true) };
    expect(() => floor.checkProduce(site, 'camera', made)).toThrow();
    expect(made.closed).toBe(true);
  });

  it('hands queue in order; granting lowers the hand; only presenter or moderator grant', () => {
    const { floor, add, events } = room();
    const presenter = add('presenter', { presenter: true });
    const a = add('a');
    add('b');
    const coordinator = add('coord', { moderator: true });
    floor.raiseHand(a, true);
    floor.raiseHand(a, true);
    expect(floor.state().hands.map((h) => h.peerId)).toEqual(['a']);
    expect(() => floor.grant(a, 'a')).toThrow(/presenter or a moderator/);
    expect(() => floor.raiseHand(presenter, true)).toThrow();
    expect(() => floor.grant(presenter, 'nobody')).toThrow(/no such participant/);
    const state = floor.grant(coordinator, 'a');
    expect(state).toMatchObject({ floorPeerId: 'a', hands: [], presenterPeerId: 'presenter' });
    expect(events.at(-1)).toEqual(['trainingState', state]);
    expect(state.participants).toBe(4);
  });

  it('granting another site or revoking closes the holder producers', () => {
    const { floor, add } = room();
    const presenter = add('presenter', { presenter: true });
    const a = add('a', { sources: ['mic', 'camera'] });
    add('b');
    floor.grant(presenter, 'a');
    floor.grant(presenter, 'b');
    expect(media(a).producerBySource('camera')).toBeUndefined();
    expect(media(a).producerBySource('mic')).toBeUndefined();
    expect(floor.revoke(presenter).floorPeerId).toBeNull();
    // The holder may give the floor back itself; another site may not take it from it.
    floor.grant(presenter, 'a');
    expect(() => floor.revoke(add('c'), 'a')).toThrow();
    expect(floor.revoke(a, 'a').floorPeerId).toBeNull();
  });

  it('last-N: presenter screen, then the floor holder camera, then the presenter camera', () => {
    const { floor, add, peers } = room();
    const presenter = add('presenter', { presenter: true, sources: ['camera', 'screen'] });
    add('a', { sources: ['camera'] });
    const listener = add('listener');
    floor.applyLastN();
    expect([...floor.featuredVideos()].sort()).toEqual(['presenter-camera', 'presenter-screen']);
    floor.grant(presenter, 'a');
    expect([...floor.featuredVideos()].sort()).toEqual(['a-camera', 'presenter-screen']);
    // Every receiver's gate follows: the presenter's camera is paused, the speaker flows.
    expect(media(listener).gate!('a-camera')).toBe(true);
    expect(media(listener).gate!('presenter-camera')).toBe(false);
    // The speaker does not count its own video: it gets the presenter's screen and camera.
    expect([...floor.featuredVideos(peers.get('a'))].sort()).toEqual([
      'presenter-camera',
      'presenter-screen',
    ]);
    expect(media(peers.get('a')!).gate!('presenter-camera')).toBe(true);
    floor.revoke(presenter);
    expect(media(listener).gate!('presenter-camera')).toBe(true);
    floor.grant(presenter, 'a');
    floor.peerLeft(peers.get('a')!);
    peers.delete('a');
    expect(floor.state().floorPeerId).toBeNull();
  });
});
