// The benchmark's browser client (bundled with esbuild into one script): what a site does to
// enter a session — POST /api/sessions/:id/join, socket.io to the SFU with the join token,
// mediasoup-client Device, receive transport, consume, resume — timed with performance.now()
// up to the first remote video frame the browser decodes and presents.
import { Device } from 'mediasoup-client';
import { io } from 'socket.io-client';

function request(socket, name, data) {
  return new Promise((resolve, reject) => {
    socket.timeout(15000).emit(name, data ?? {}, (err, ack) => {
      if (err) return reject(new Error(`${name}: ${err.message}`));
      if (!ack?.ok) return reject(new Error(`${name}: ${ack?.error?.code} ${ack?.error?.message}`));
      resolve(ack.data);
    });
  });
}

/** Resolves with performance.now() of the first presented frame of a video track. */
function firstFrame(track, consumerStats) {
  return new Promise((resolve) => {
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.width = 160;
    video.height = 120;
    document.body.appendChild(video);
    video.srcObject = new MediaStream([track]);
    video.play().catch(() => {});
    let done = false;
    const finish = (t) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      resolve(t);
    };
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback((now) => finish(now));
    // Fallback and cross-check: the receiver's framesDecoded.
    const poll = setInterval(async () => {
      const stats = await consumerStats();
      for (const s of stats.values())
        if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0)
          finish(performance.now());
    }, 20);
  });
}

let current = null;

async function enter({ api, sessionId, accessToken, publish, consume = true }) {
  const t = { start: performance.now() };
  const res = await fetch(`${api}/api/sessions/${sessionId}/join`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (res.status !== 200) throw new Error(`join: ${res.status} ${await res.text()}`);
  const admission = await res.json();
  t.apiJoined = performance.now();
  const socket = io(admission.sfuUrl, {
    auth: { token: admission.token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  t.socketConnected = performance.now();
  const device = new Device();
  const routerRtpCapabilities = await request(socket, 'getRouterRtpCapabilities');
  await device.load({ routerRtpCapabilities });
  t.deviceLoaded = performance.now();
  const joined = await request(socket, 'join', {
    rtpCapabilities: device.rtpCapabilities,
    displayName: 'bench',
  });
  t.joined = performance.now();
  const me = { socket, device, consumers: [], producers: [], frames: [], closed: false };
  current = me;

  if (consume) {
    const info = await request(socket, 'createTransport', { direction: 'recv' });
    const recv = device.createRecvTransport({ ...info, iceServers: admission.iceServers ?? [] });
    recv.on('connect', ({ dtlsParameters }, ok, fail) =>
      request(socket, 'connectTransport', { transportId: recv.id, dtlsParameters }).then(
        () => ok(),
        fail,
      ),
    );
    me.recv = recv;
    t.recvTransport = performance.now();
    const consumeOne = async (p) => {
      const c = await request(socket, 'consume', {
        transportId: recv.id,
        producerId: p.id,
        rtpCapabilities: device.rtpCapabilities,
      });
      const consumer = await recv.consume({
        id: c.id,
        producerId: c.producerId,
        kind: c.kind,
        rtpParameters: c.rtpParameters,
      });
      me.consumers.push(consumer);
      await request(socket, 'resumeConsumer', { consumerId: c.id });
      if (consumer.kind === 'video')
        me.frames.push(firstFrame(consumer.track, () => consumer.getStats()));
    };
    socket.on('newProducer', (p) => consumeOne(p).catch(() => {}));
    await Promise.all(joined.producers.map(consumeOne));
    t.consumed = performance.now();
  }
  if (publish) {
    const info = await request(socket, 'createTransport', { direction: 'send' });
    const send = device.createSendTransport({ ...info, iceServers: admission.iceServers ?? [] });
    send.on('connect', ({ dtlsParameters }, ok, fail) =>
      request(socket, 'connectTransport', { transportId: send.id, dtlsParameters }).then(
        () => ok(),
        fail,
      ),
    );
    send.on('produce', ({ kind, rtpParameters, appData }, ok, fail) =>
      request(socket, 'produce', { transportId: send.id, kind, rtpParameters, appData }).then(
        (r) => ok({ id: r.id }),
        fail,
      ),
    );
    const media = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: 640, height: 480, frameRate: 20 },
    });
    me.media = media;
    me.producers.push(
      await send.produce({ track: media.getAudioTracks()[0], appData: { source: 'mic' } }),
    );
    me.producers.push(
      await send.produce({
        track: media.getVideoTracks()[0],
        encodings: [
          { maxBitrate: 100000, scaleResolutionDownBy: 4 },
          { maxBitrate: 300000, scaleResolutionDownBy: 2 },
          { maxBitrate: 900000 },
        ],
        appData: { source: 'camera' },
      }),
    );
  }
  return { me, t, producersAtJoin: joined.producers.length };
}

window.bench = {
  /** A site of the running room: publishes camera + microphone and watches the others. */
  async site(opts) {
    const { t } = await enter({ ...opts, publish: true, consume: opts.watch !== false });
    return t;
  },
  /** One measured join; resolves with the phase times (ms from the API request). */
  async timedJoin(opts) {
    const { me, t, producersAtJoin } = await enter({ ...opts, publish: false, consume: true });
    // Frame times are absolute; the earliest one is the first remote frame, whichever video it was.
    const seen = [];
    for (const f of me.frames) f.then((x) => seen.push(x));
    const deadline = performance.now() + 15000;
    while (seen.length === 0 && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    const first = seen.length ? Math.min(...seen) : null;
    const frames = await Promise.race([
      Promise.all(me.frames),
      new Promise((r) => setTimeout(() => r(null), Math.max(0, deadline - performance.now()))),
    ]);
    const rel = (x) => (x == null ? null : Math.round((x - t.start) * 10) / 10);
    return {
      producersAtJoin,
      videos: me.frames.length,
      apiMs: rel(t.apiJoined),
      socketMs: rel(t.socketConnected),
      deviceMs: rel(t.deviceLoaded),
      joinMs: rel(t.joined),
      consumedMs: rel(t.consumed),
      firstFrameMs: rel(first),
      allFramesMs: frames ? rel(Math.max(...frames)) : null,
    };
  },
  async leave() {
    const me = current;
    if (!me || me.closed) return;
    me.closed = true;
    try {
      await request(me.socket, 'leave');
    } catch {
      /* the room may be gone */
    }
    for (const c of me.consumers) c.close();
    me.recv?.close();
    me.socket.close();
    for (const v of document.querySelectorAll('video')) v.remove();
  },
};
