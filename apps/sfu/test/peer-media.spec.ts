/**
 * The per-peer media object with a real worker: a joined peer's PlainTransports (the seam used by
 * the benchmark and by server-side consumers such as a recorder) are owned like its WebRTC
 * transports, carry producers announced through the room, and are all closed in one place.
 */
import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { botSuite } from './support/bot-suite';
import { request } from './support/bot';
import { waitFor } from './support/poll';

describe('per-peer media', () => {
  const suite = botSuite();

  it('makes PlainTransports for a joined peer, forwards RTP through them, closes them on leave', async () => {
    const room = randomUUID();
    const join = () => suite.joined({ sid: room });
    const sender = await join();
    const receiver = await join();
    const announced: unknown[] = [];
    receiver.s.on('newProducer', (p) => announced.push(p));
    const r = suite.sfu.rooms.get(room)!;
    const senderMedia = r.peers.get(sender.peerId)!.media!;
    const receiverMedia = r.peers.get(receiver.peerId)!.media!;

    const sink = createSocket('udp4');
    await new Promise<void>((ok) => sink.bind(0, '127.0.0.1', ok));
    let received = 0;
    sink.on('message', () => received++);
    const send = await senderMedia.createPlainTransport({ direction: 'send' });
    const recv = await receiverMedia.createPlainTransport({
      direction: 'recv',
      remote: { ip: '127.0.0.1', port: sink.address().port },
    });
    expect(senderMedia.transports.get(send.id)).toBe(send);
    expect(recv.tuple.remotePort).toBe(sink.address().port);

    const produced = await request(sender.s, 'produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 1111 }],
      },
      appData: { source: 'mic' },
    });
    expect(produced.ok).toBe(true);
    await waitFor(() => announced.length === 1, { message: 'newProducer not announced' });
    const consumed = await request(receiver.s, 'consume', {
      transportId: recv.id,
      producerId: produced.data.id,
      rtpCapabilities: receiver.caps,
    });
    expect(consumed).toMatchObject({ ok: true, data: { kind: 'audio' } });
    await request(receiver.s, 'resumeConsumer', { consumerId: consumed.data.id });

    // Plain RTP into the sender's transport (comedia) comes out of the receiver's.
    const out = createSocket('udp4');
    const rtp = (seq: number) => {
      const b = Buffer.alloc(32);
      b[0] = 0x80;
      b[1] = 100;
      b.writeUInt16BE(seq, 2);
      b.writeUInt32BE(seq * 960, 4);
      b.writeUInt32BE(1111, 8);
      return b;
    };
    let seq = 1;
    const timer = setInterval(() => out.send(rtp(seq++), send.tuple.localPort, '127.0.0.1'), 20);
    try {
      await waitFor(() => received > 5, { message: 'no RTP forwarded to the sink' });
    } finally {
      clearInterval(timer);
      out.close();
      sink.close();
    }

    // Leaving closes every transport of the peer in one place (and its producer with them).
    await request(sender.s, 'leave');
    expect(send.closed).toBe(true);
    expect(senderMedia.closed).toBe(true);
    expect(senderMedia.transports.size).toBe(0);
    await waitFor(() => receiverMedia.consumers.size === 0, { message: 'consumer not closed' });
  });
});
