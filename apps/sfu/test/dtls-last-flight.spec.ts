/**
 * The worker sends the last flight of its DTLS handshake (ChangeCipherSpec + Finished) twice, byte
 * for byte (the worker patch in tools/mediasoup-worker). Its earlier flights are resent by its own
 * 100 ms timer, but nothing resends the last one: lost on a commune's line, the browser noticed
 * only when its own retransmission timer fired (0.5–0.7 s at a 300 ms round trip), and the join's
 * first voice waited with it. Real worker, a real WebRTC peer (mediasoup-client on @roamhq/wrtc),
 * its datagrams through a relay that delays them and drops the first last-flight datagram.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { nodeWebRTC } from '@caunoi/test-support';
import { waitFor } from './support/poll';
import { workerRouter } from './support/worker-router';

// eslint-disable-next-line @typescript-eslint/no-require-imports
nodeWebRTC(require('@roamhq/wrtc'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Device } = require('mediasoup-client') as typeof import('mediasoup-client');

const ONE_WAY_MS = 100; // the client's retransmission timer becomes ≈ 2 × 200 ms

/** A DTLS datagram's first record: content type and epoch. */
function firstRecord(msg: Buffer): { type: number; epoch: number } | null {
  if (msg.length < 13 || msg[0] < 20 || msg[0] > 63) return null;
  return { type: msg[0], epoch: msg.readUInt16BE(3) };
}

/** The last flight: a ChangeCipherSpec first, or the encrypted Finished (epoch ≥ 1) alone. */
const isLastFlight = (msg: Buffer) => {
  const r = firstRecord(msg);
  return !!r && (r.type === 20 || (r.type === 22 && r.epoch > 0));
};

/** Handshake message types of every record in a DTLS datagram (epoch 0 only: readable). */
function handshakeTypes(msg: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + 13 <= msg.length; at += 13 + msg.readUInt16BE(at + 11))
    if (msg[at] === 22 && msg.readUInt16BE(at + 3) === 0) out.push(msg[at + 13]);
  return out;
}

const CLIENT_KEY_EXCHANGE = 16;

describe('DTLS: the last flight of the handshake', () => {
  const worker = workerRouter();

  it('is sent twice: its first datagram lost, the peer connects without resending its own flight', async () => {
    const source = await worker.router().createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const producer = await source.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48_000, channels: 2 }],
        encodings: [{ ssrc: 0x2222 }],
      },
    });
    const server = await worker.router().createWebRtcTransport({
      listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }],
    });
    const serverPort = server.iceCandidates[0].port;

    // The relay: the client's candidate for the server is this socket.
    const front = createSocket('udp4');
    const back = createSocket('udp4');
    await new Promise<void>((r) => front.bind(0, '127.0.0.1', r));
    await new Promise<void>((r) => back.bind(0, '127.0.0.1', r));
    let client: RemoteInfo | null = null;
    const later = (f: () => void) => setTimeout(f, ONE_WAY_MS);
    const fromServer: Buffer[] = []; // the server's DTLS datagrams, in order
    const dropped: Buffer[] = [];
    let clientKeyExchanges = 0;
    front.on('message', (msg, rinfo) => {
      client = rinfo;
      if (handshakeTypes(msg).includes(CLIENT_KEY_EXCHANGE)) clientKeyExchanges++;
      later(() => back.send(msg, serverPort, '127.0.0.1'));
    });
    back.on('message', (msg) => {
      if (firstRecord(msg)) fromServer.push(msg);
      if (isLastFlight(msg) && dropped.length === 0) {
        dropped.push(msg);
        return;
      }
      const to = client;
      if (to) later(() => front.send(msg, to.port, to.address));
    });

    const device = new Device({ handlerName: 'Chrome111' });
    await device.load({ routerRtpCapabilities: worker.router().rtpCapabilities });
    const recv = device.createRecvTransport({
      id: server.id,
      iceParameters: server.iceParameters,
      iceCandidates: server.iceCandidates.map((c) => ({ ...c, port: front.address().port })),
      dtlsParameters: server.dtlsParameters,
    });
    recv.on('connect', ({ dtlsParameters }, ok, fail) =>
      server.connect({ dtlsParameters }).then(ok, fail),
    );
    const consumer = await server.consume({
      producerId: producer.id,
      rtpCapabilities: device.rtpCapabilities,
    });
    await recv.consume({
      id: consumer.id,
      producerId: producer.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
    });

    try {
      await waitFor(
        () => server.dtlsState === 'connected' && recv.connectionState === 'connected',
        {
          timeoutMs: 15_000,
        },
      );
      // The relay dropped the first last-flight datagram; the very next one the server sent is
      // the same bytes (a retransmission would carry new record sequence numbers), and the
      // client never had to send its own flight again.
      expect(dropped).toHaveLength(1);
      const at = fromServer.indexOf(dropped[0]);
      expect(fromServer[at + 1]?.equals(dropped[0])).toBe(true);
      expect(clientKeyExchanges).toBe(1);
    } finally {
      recv.close();
      server.close();
      source.close();
      front.close();
      back.close();
    }
  });
});
