/**
 * The worker asks a voice's sender again only for packets a listener could still play (the
 * worker patch in tools/mediasoup-worker): after a gap of 10 s — an outage of a commune's uplink
 * — only its newest second is NACKed, where upstream mediasoup asked for all 250 packets and the
 * browser resent seconds of stale voice into the line just as it came back. A short gap is
 * still asked for whole. Real worker, real UDP: an Opus producer with NACK on a plain transport
 * fed hand-made RTP, the NACKs read back from the RTCP the worker sends.
 */
import { createSocket, type Socket } from 'node:dgram';
import { waitFor } from './support/poll';
import { workerRouter } from './support/worker-router';

const SSRC = 0x1234abcd;
const PT = 100;
const PACKET_MS = 40; // the product's Opus packet time
const TICKS = (48_000 * PACKET_MS) / 1000;

function rtp(seq: number, timestamp: number): Buffer {
  const b = Buffer.alloc(12 + 20);
  b[0] = 0x80;
  b[1] = PT;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(SSRC, 8);
  b.fill(0xf8, 12); // an Opus TOC byte and some payload: the worker does not decode it
  return b;
}

/** Sequence numbers NACKed in a compound RTCP packet (RFC 4585 generic NACK: PT 205, FMT 1). */
function nackedSeqs(packet: Buffer): number[] {
  const out: number[] = [];
  for (let off = 0; off + 4 <= packet.length;) {
    const fmt = packet[off] & 0x1f;
    const pt = packet[off + 1];
    const words = packet.readUInt16BE(off + 2);
    const end = off + 4 * (words + 1);
    if (pt === 205 && fmt === 1) {
      for (let fci = off + 12; fci + 4 <= end; fci += 4) {
        const pid = packet.readUInt16BE(fci);
        const blp = packet.readUInt16BE(fci + 2);
        out.push(pid);
        for (let bit = 0; bit < 16; bit++) if (blp & (1 << bit)) out.push((pid + bit + 1) & 0xffff);
      }
    }
    off = end;
  }
  return out;
}

describe('voice NACK: only what a listener could still play', () => {
  const worker = workerRouter();

  async function voiceSender(): Promise<{
    socket: Socket;
    nacked: Set<number>;
    send: (seq: number, ts: number) => void;
    close: () => void;
  }> {
    const transport = await worker.router().createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    await transport.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'audio/opus',
            payloadType: PT,
            clockRate: 48_000,
            channels: 2,
            rtcpFeedback: [{ type: 'nack' }],
          },
        ],
        encodings: [{ ssrc: SSRC }],
      },
    });
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    const nacked = new Set<number>();
    socket.on('message', (msg) => {
      if (msg[1] >= 192 && msg[1] <= 223) for (const s of nackedSeqs(msg)) nacked.add(s);
    });
    const port = transport.tuple.localPort;
    return {
      socket,
      nacked,
      send: (seq, ts) => socket.send(rtp(seq, ts), port, '127.0.0.1'),
      close: () => {
        socket.close();
        transport.close();
      },
    };
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /**
   * 10 packets from `seq`, then `lost` packets that never arrive, then 5 more: every packet 40 ms
   * of voice by its RTP timestamp. Returns the first lost sequence number.
   */
  async function voiceWithGap(
    voice: Awaited<ReturnType<typeof voiceSender>>,
    seq: number,
    lost: number,
  ): Promise<number> {
    let ts = seq * 7;
    const run = async (n: number) => {
      for (let i = 0; i < n; i++, seq++, ts += TICKS) {
        voice.send(seq, ts);
        await sleep(5);
      }
    };
    await run(10);
    const gapFirst = seq;
    seq += lost;
    ts += lost * TICKS;
    await run(5);
    return gapFirst;
  }

  it('after a 10 s gap asks only for its last second', async () => {
    const voice = await voiceSender();
    try {
      // 10 s of voice never arrived: 250 packets of 40 ms.
      const gapFirst = await voiceWithGap(voice, 1000, 250);
      await waitFor(async () => voice.nacked.size > 0, { timeoutMs: 5_000 });
      // Let the worker's retries run: a later NACK must not reach further back either.
      await sleep(300);
      const asked = [...voice.nacked].sort((a, b) => a - b);
      // The gap's 250 packets span 10.04 s of RTP time (from the packet before it to the one
      // after); those of its newest second: 250 × 1000 / 10040 → 24, ending with gapFirst + 249.
      expect(asked.length).toBe(24);
      expect(asked[0]).toBe(gapFirst + 250 - 24);
      expect(asked.at(-1)).toBe(gapFirst + 249);
    } finally {
      voice.close();
    }
  });

  it('a short gap is asked for whole', async () => {
    const voice = await voiceSender();
    try {
      const gapFirst = await voiceWithGap(voice, 40_000, 3);
      const lost = [gapFirst, gapFirst + 1, gapFirst + 2];
      await waitFor(async () => voice.nacked.size >= 3, { timeoutMs: 5_000 });
      expect([...voice.nacked].sort((a, b) => a - b)).toEqual(lost);
    } finally {
      voice.close();
    }
  });
});
