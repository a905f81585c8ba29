// A real WebRTC receiver for the SFU benchmark (run once, under load, after our SFU's ramp): a
// mediasoup-client Device on @roamhq/wrtc (Node WebRTC: ICE, DTLS, SRTP, libvpx decoder) joins
// one room with a join token over the real signalling, consumes every producer through a
// WebRtcTransport and counts the video frames it decodes. Prints one JSON line.
import { createRequire } from 'node:module';
import { nodeWebRTC } from '@caunoi/test-support';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const req = createRequire(path.join(ROOT, 'apps/sfu/package.json'));
const wrtc = req('@roamhq/wrtc');
nodeWebRTC(wrtc);
const { Device } = req('mediasoup-client');
const { io } = req('socket.io-client');

const SECONDS = Number(process.env.PROBE_SECONDS ?? 4);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const request = (socket, name, data) =>
  new Promise((resolve, reject) =>
    socket
      .timeout(15_000)
      .emit(name, data ?? {}, (err, ack) =>
        err
          ? reject(err)
          : ack?.ok
            ? resolve(ack.data)
            : reject(new Error(`${name}: ${ack?.error?.message}`)),
      ),
  );

const t0 = Date.now();
const socket = io(process.env.SFU_URL, {
  auth: { token: process.env.TOKEN },
  transports: ['websocket'],
  reconnection: false,
  forceNew: true,
});
await new Promise((resolve, reject) => {
  socket.once('connect', resolve);
  socket.once('connect_error', reject);
});
const device = new Device({ handlerName: 'Chrome111' });
await device.load({ routerRtpCapabilities: await request(socket, 'getRouterRtpCapabilities') });
const joined = await request(socket, 'join', {
  rtpCapabilities: device.rtpCapabilities,
  displayName: 'WebRTC probe',
});
const info = await request(socket, 'createTransport', { direction: 'recv' });
const transport = device.createRecvTransport(info);
transport.on('connect', ({ dtlsParameters }, ok, fail) =>
  request(socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then(
    () => ok(),
    fail,
  ),
);
const videos = [];
const consumers = [];
for (const p of joined.producers) {
  const c = await request(socket, 'consume', {
    transportId: transport.id,
    producerId: p.id,
    rtpCapabilities: device.rtpCapabilities,
  });
  const consumer = await transport.consume({
    id: c.id,
    producerId: c.producerId,
    kind: c.kind,
    rtpParameters: c.rtpParameters,
  });
  consumers.push(consumer);
  await request(socket, 'resumeConsumer', { consumerId: c.id });
  if (consumer.kind === 'video') {
    const v = { frames: 0, width: 0, firstAt: null };
    const sink = new wrtc.nonstandard.RTCVideoSink(consumer.track);
    sink.onframe = ({ frame }) => {
      v.frames++;
      v.width = frame.width;
      v.firstAt ??= Date.now();
    };
    v.sink = sink;
    videos.push(v);
  }
}
const deadline = Date.now() + 10_000;
while (Date.now() < deadline && videos.some((v) => v.frames === 0)) await sleep(50);
const firstFrameMs = videos.every((v) => v.firstAt)
  ? Math.max(...videos.map((v) => v.firstAt)) - t0
  : null;
const before = videos.map((v) => v.frames);
await sleep(SECONDS * 1000);
let audioBytes = 0;
for (const c of consumers.filter((c) => c.kind === 'audio')) {
  try {
    for (const s of (await c.getStats()).values())
      if (s.type === 'inbound-rtp') audioBytes += s.bytesReceived ?? 0;
  } catch {
    audioBytes = null; // this wrtc build has no per-receiver stats
  }
}
const out = {
  producers: joined.producers.length,
  videos: videos.length,
  framesPerSecond: videos.map((v, i) => Math.round(((v.frames - before[i]) / SECONDS) * 10) / 10),
  widths: videos.map((v) => v.width),
  allVideosDecodingAfterMs: firstFrameMs,
  audioBytes,
};
for (const v of videos) v.sink.stop();
transport.close();
socket.close();
console.log(JSON.stringify(out));
process.exit(0);
