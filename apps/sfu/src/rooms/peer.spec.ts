import { Peer, type PeerChannel } from './peer';

class FakeChannel implements PeerChannel {
  connected = true;
  readonly sent: Array<[string, unknown]> = [];
  disconnected = false;
  emit(event: string, data: unknown) {
    this.sent.push([event, data]);
  }
  disconnect() {
    this.connected = false;
    this.disconnected = true;
  }
}

const identity = {
  id: 'p1',
  userId: 'u1',
  displayName: 'Bác sĩ A',
  facility: { id: null, name: 'Trạm Y tế xã 1' },
};

describe('Peer event delivery across reconnects', () => {
  it('keeps events while the socket is away and replays them in order on resume', () => {
    const peer = new Peer(identity);
    const first = new FakeChannel();
    peer.attach(first);
    peer.notify('peerJoined', { id: 'p2' });
    first.connected = false;
    peer.notify('newProducer', { id: 'x' });
    peer.notify('score', { consumerId: 'c', score: 10 }); // transient: dropped while away
    peer.notify('producerClosed', { producerId: 'x' });
    const second = new FakeChannel();
    peer.attach(second);
    expect(first.sent.map(([e]) => e)).toEqual(['peerJoined']);
    expect(second.sent.map(([e]) => e)).toEqual(['newProducer', 'producerClosed']);
  });

  it('asks for a rejoin instead of replaying when too much was missed', () => {
    const peer = new Peer(identity);
    for (let i = 0; i < 600; i++) peer.notify('newProducer', { id: String(i) });
    const channel = new FakeChannel();
    peer.attach(channel);
    expect(channel.sent).toEqual([['rejoin', { reason: 'missed_events' }]]);
  });

  it('takes over from a still-connected socket and disconnects it', () => {
    const peer = new Peer(identity);
    const old = new FakeChannel();
    peer.attach(old);
    const fresh = new FakeChannel();
    peer.attach(fresh);
    expect(old.disconnected).toBe(true);
    // The replaced socket learns why before it is closed (its client must not reconnect).
    expect(old.sent).toEqual([['peerReplaced', { peerId: 'p1' }]]);
    expect(peer.channel).toBe(fresh);
    peer.notify('peerLeft', { peerId: 'p2' });
    expect(fresh.sent).toEqual([['peerLeft', { peerId: 'p2' }]]);
  });

  it('sends nothing after close', () => {
    const peer = new Peer(identity);
    const channel = new FakeChannel();
    peer.attach(channel);
    peer.close();
    peer.notify('peerJoined', {});
    expect(channel.sent).toEqual([]);
    expect(peer.closed).toBe(true);
  });
});
