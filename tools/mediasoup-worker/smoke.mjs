// End-to-end smoke test of the mediasoup worker (reference for the SFU code).
//
// One Node process: a mediasoup Worker + Router (Opus, VP8) + a WebRtcServer
// (one UDP + TCP port on 127.0.0.1) + two WebRtcTransports, and two
// mediasoup-client Devices running on @roamhq/wrtc. A synthetic 640x480 video
// track is produced on one Device and consumed on the other. It passes when
// both server transports reach dtlsState "connected" (ICE + DTLS + SRTP work)
// and decoded frames arrive at an RTCVideoSink.
//
// Needs: mediasoup, mediasoup-client, @roamhq/wrtc, and a worker binary
// (node tools/mediasoup-worker/ensure-worker.mjs).
// Env: SMOKE_PORT (default: none, mediasoup picks a free port from the
// worker's rtcMinPort..rtcMaxPort), SMOKE_SECONDS (default 5),
// SMOKE_TCP=1 (ICE over TCP only).
// Run: node tools/mediasoup-worker/smoke.mjs

import * as mediasoup from 'mediasoup';
import { Device } from 'mediasoup-client';
import wrtc from '@roamhq/wrtc';
import { nodeWebRTC } from '@caunoi/test-support';

const PORT = process.env.SMOKE_PORT ? Number(process.env.SMOKE_PORT) : undefined;
const SECONDS = Number(process.env.SMOKE_SECONDS || 5);
const TCP_ONLY = process.env.SMOKE_TCP === '1';
const WIDTH = 640;
const HEIGHT = 480;

// mediasoup-client's Chrome111 handler uses the browser WebRTC globals.
nodeWebRTC(wrtc);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${what}`);
    await sleep(50);
  }
}

// Wire a mediasoup-client transport to its server-side WebRtcTransport.
function clientTransport(device, serverTransport, direction) {
  const params = {
    id: serverTransport.id,
    iceParameters: serverTransport.iceParameters,
    iceCandidates: serverTransport.iceCandidates,
    dtlsParameters: serverTransport.dtlsParameters,
  };
  const transport =
    direction === 'send' ? device.createSendTransport(params) : device.createRecvTransport(params);
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    serverTransport.connect({ dtlsParameters }).then(callback, errback);
  });
  return transport;
}

async function main() {
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  worker.on('died', (err) => {
    console.error('worker died:', err);
    process.exit(1);
  });
  console.log(`worker pid ${worker.pid}`);

  const router = await worker.createRouter({
    mediaCodecs: [
      { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
      { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
    ],
  });
  const webRtcServer = await worker.createWebRtcServer({
    listenInfos: [
      { protocol: 'udp', ip: '127.0.0.1', port: PORT },
      // Same number for TCP only when given: without one each gets its own.
      { protocol: 'tcp', ip: '127.0.0.1', port: PORT },
    ],
  });
  const transportOptions = { webRtcServer, enableUdp: !TCP_ONLY, enableTcp: true, preferUdp: true };
  const serverSend = await router.createWebRtcTransport(transportOptions);
  const serverRecv = await router.createWebRtcTransport(transportOptions);

  // Sending peer.
  const sender = new Device({ handlerName: 'Chrome111' });
  await sender.load({ routerRtpCapabilities: router.rtpCapabilities });
  const sendTransport = clientTransport(sender, serverSend, 'send');
  sendTransport.on('produce', ({ kind, rtpParameters }, callback, errback) => {
    serverSend.produce({ kind, rtpParameters }).then((p) => callback({ id: p.id }), errback);
  });

  const source = new wrtc.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  const frame = new Uint8ClampedArray(WIDTH * HEIGHT * 1.5); // I420
  let tick = 0;
  const pump = setInterval(() => {
    frame.fill(tick++ % 256, 0, WIDTH * HEIGHT); // change luma so VP8 has work
    source.onFrame({ width: WIDTH, height: HEIGHT, data: frame });
  }, 50);

  const producer = await sendTransport.produce({ track });

  // Receiving peer.
  const receiver = new Device({ handlerName: 'Chrome111' });
  await receiver.load({ routerRtpCapabilities: router.rtpCapabilities });
  const recvTransport = clientTransport(receiver, serverRecv, 'recv');
  if (!router.canConsume({ producerId: producer.id, rtpCapabilities: receiver.rtpCapabilities })) {
    throw new Error('router cannot consume the producer');
  }
  const serverConsumer = await serverRecv.consume({
    producerId: producer.id,
    rtpCapabilities: receiver.rtpCapabilities,
    paused: true,
  });
  const consumer = await recvTransport.consume({
    id: serverConsumer.id,
    producerId: producer.id,
    kind: serverConsumer.kind,
    rtpParameters: serverConsumer.rtpParameters,
  });
  await serverConsumer.resume();

  let frames = 0;
  let lastWidth = 0;
  const sink = new wrtc.nonstandard.RTCVideoSink(consumer.track);
  sink.onframe = ({ frame: f }) => {
    frames++;
    lastWidth = f.width;
  };

  await waitFor(
    'dtlsState connected',
    () => serverSend.dtlsState === 'connected' && serverRecv.dtlsState === 'connected',
    10_000,
  );
  await waitFor('first decoded frame', () => frames > 0, 10_000);
  const before = frames;
  await sleep(SECONDS * 1000);
  const received = frames - before;

  const tuple = serverSend.iceSelectedTuple;
  const result = {
    dtlsState: { send: serverSend.dtlsState, recv: serverRecv.dtlsState },
    iceTuple: tuple
      ? `${tuple.protocol} ${tuple.remoteIp}:${tuple.remotePort} -> ${tuple.localIp}:${tuple.localPort}`
      : null,
    framesInWindow: received,
    seconds: SECONDS,
    framesTotal: frames,
    width: lastWidth,
  };
  console.log(JSON.stringify(result));

  clearInterval(pump);
  sink.stop();
  track.stop();
  consumer.close();
  producer.close();
  sendTransport.close();
  recvTransport.close();
  worker.close();

  if (received < SECONDS * 5 || lastWidth !== WIDTH) {
    throw new Error(`too few frames or wrong width: ${JSON.stringify(result)}`);
  }
  console.log('smoke: PASS');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('smoke: FAIL', err);
    process.exit(1);
  },
);
