// SFU forwarding capacity: conferences of 5 sites (VP8 simulcast 3 layers + Opus each, every site
// receiving every other site), added a few rooms at a time to one mediasoup worker until its core
// saturates, forwarded loss passes 0.5 %, or the load generator itself saturates — first against
// our SFU (apps/sfu/dist: tokens, signalling, Room/Peer logic), then against bare mediasoup
// (reference-server.mjs), with the same load generator, in the same run.
// Over 350 lines on purpose: one benchmark run, read top to bottom in the order it measures; the
// pieces other benchmarks share are in bench/lib.
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../lib/build.mjs';
import { childPids, cpuWindow } from '../lib/cpu.mjs';
import { es256KeyPair } from '../lib/keys.mjs';
import { startProcess, stopProcess } from '../lib/proc.mjs';
import { ROOT, table } from '../lib/results.mjs';
import { median, round, sleep } from '../lib/stats.mjs';
import { PT } from './media.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const sfuRequire = createRequire(path.join(ROOT, 'apps/sfu/package.json'));
const { io } = sfuRequire('socket.io-client');
const jwt = sfuRequire('jsonwebtoken');

const SIZES = {
  small: { sitesPerRoom: 5, step: 1, maxRooms: 2, warmupS: 3, windowS: 3 },
  default: { sitesPerRoom: 5, step: 4, maxRooms: 64, warmupS: 3, windowS: 5 },
  large: { sitesPerRoom: 5, step: 4, maxRooms: 160, warmupS: 4, windowS: 8 },
};
const LOSS_LIMIT = 0.005;
const TARGET = { streamsPerCore: 1500, overhead: 1.1 };

/** A child process answering {id, op, args} over IPC. */
export async function ipcChild(name, script, env = {}) {
  const child = startProcess(name, process.execPath, [script], { env, ipc: true, cwd: ROOT });
  let seq = 0;
  const pending = new Map();
  const logs = [];
  const ready = new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m.ready) return resolve();
      if (m.log) return logs.push(m.log);
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      m.ok ? p.resolve(m.data) : p.reject(new Error(`${name}.${p.op}: ${m.error}`));
    });
    child.once('exit', (code) => {
      reject(new Error(`${name} exited with ${code}\n${child.tail()}`));
      for (const p of pending.values())
        p.reject(new Error(`${name} exited with ${code}\n${child.tail()}`));
    });
  });
  await ready;
  return {
    child,
    logs,
    call: (op, args = {}) =>
      new Promise((resolve, reject) => {
        const id = ++seq;
        pending.set(id, { resolve, reject, op });
        child.send({ id, op, args });
      }),
  };
}

const VIDEO_SSRCS = [0x11110001, 0x11110002, 0x11110003];
const AUDIO_SSRC = 0x22220001;
const producerParams = (cname) => [
  {
    kind: 'video',
    source: 'camera',
    rtpParameters: {
      codecs: [
        {
          mimeType: 'video/VP8',
          payloadType: PT.vp8,
          clockRate: 90000,
          rtcpFeedback: [
            { type: 'nack' },
            { type: 'nack', parameter: 'pli' },
            { type: 'ccm', parameter: 'fir' },
          ],
        },
      ],
      headerExtensions: [],
      encodings: VIDEO_SSRCS.map((ssrc) => ({ ssrc })),
      rtcp: { cname, reducedSize: true },
    },
  },
  {
    kind: 'audio',
    source: 'mic',
    rtpParameters: {
      codecs: [
        {
          mimeType: 'audio/opus',
          payloadType: PT.opus,
          clockRate: 48000,
          channels: 2,
          parameters: { useinbandfec: 1 },
        },
      ],
      headerExtensions: [],
      encodings: [{ ssrc: AUDIO_SSRC }],
      rtcp: { cname, reducedSize: true },
    },
  },
];

/**
 * The receivers' capabilities: the router's, without transport-cc / REMB. The plain receivers send
 * receiver reports but no congestion-control feedback, so with those a consumer's bandwidth
 * estimator would starve and drop every simulcast consumer to its lowest layer. Without them each
 * consumer forwards the top layer (what a receiver with enough bandwidth gets).
 */
export function receiverCapabilities(caps) {
  return {
    ...caps,
    codecs: caps.codecs.map((c) => ({
      ...c,
      rtcpFeedback: (c.rtcpFeedback ?? []).filter(
        (f) => f.type !== 'transport-cc' && f.type !== 'goog-remb',
      ),
    })),
    headerExtensions: (caps.headerExtensions ?? []).filter(
      (h) => !/transport-wide-cc|abs-send-time/.test(h.uri),
    ),
  };
}

function request(socket, name, data) {
  return new Promise((resolve, reject) => {
    socket.timeout(15_000).emit(name, data ?? {}, (err, ack) => {
      if (err) return reject(new Error(`${name}: ${err.message}`));
      if (!ack?.ok) return reject(new Error(`${name}: ${ack?.error?.code} ${ack?.error?.message}`));
      resolve(ack.data);
    });
  });
}

/** Our SFU: real admission + signalling; PlainTransports through the benchmark hook. */
async function ourServer(log) {
  const keys = es256KeyPair();
  const server = await ipcChild('sfu-ours', path.join(HERE, 'our-server.mjs'), {
    SFU_PORT: '0',
    SFU_HOST: '127.0.0.1',
    SFU_RTC_PORT: '0',
    SFU_LISTEN_IP: '127.0.0.1',
    SFU_ANNOUNCED_ADDRESS: '127.0.0.1',
    SFU_WORKERS: '1',
    JOIN_TOKEN_PUBLIC_KEY: keys.publicPem,
    LOG_LEVEL: 'warn',
  });
  const port = await server.call('port');
  const url = `http://127.0.0.1:${port}`;
  const sockets = [];
  let firstRoom;
  log(`our SFU on ${url}`);
  return {
    label: 'our SFU (apps/sfu)',
    server,
    async addRoom(loadgen, receivePorts) {
      const roomId = randomUUID();
      firstRoom ??= roomId;
      const sites = [];
      for (let s = 0; s < this.sitesPerRoom; s++) {
        const userId = randomUUID();
        const token = jwt.sign(
          {
            sub: userId,
            sid: roomId,
            name: `Điểm cầu ${s + 1}`,
            role: 'specialist',
            facility: { id: randomUUID(), name: `Cơ sở ${s + 1}` },
            moderator: s === 0,
          },
          keys.privatePem,
          {
            algorithm: 'ES256',
            issuer: 'caunoi-api',
            audience: 'caunoi-sfu',
            expiresIn: 600,
          },
        );
        const socket = io(url, {
          auth: { token },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        });
        sockets.push(socket);
        await new Promise((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        });
        const known = new Set();
        socket.on('newProducer', (p) => known.add(p.id));
        const caps = await request(socket, 'getRouterRtpCapabilities');
        const joined = await request(socket, 'join', {
          rtpCapabilities: caps,
          displayName: `Điểm cầu ${s + 1}`,
        });
        for (const p of joined.producers ?? []) known.add(p.id);
        const receiveAt = {
          ip: '127.0.0.1',
          port: receivePorts[(sockets.length - 1) % receivePorts.length],
        };
        const send = await server.call('plainTransport', { roomId, userId, direction: 'send' });
        const recv = await server.call('plainTransport', {
          roomId,
          userId,
          direction: 'recv',
          receiveAt,
        });
        for (const p of producerParams(`site-${s}`))
          await request(socket, 'produce', {
            transportId: send.id,
            kind: p.kind,
            rtpParameters: p.rtpParameters,
            appData: { source: p.source },
          });
        await loadgen.call('addSender', { port: send.port, ssrcs: [...VIDEO_SSRCS, AUDIO_SSRC] });
        sites.push({ socket, recv, caps, known });
      }
      // Every site consumes what the others produce: those in its join answer and those announced
      // to it afterwards with newProducer.
      const want = (this.sitesPerRoom - 1) * 2;
      for (let i = 0; i < 100 && sites.some((x) => x.known.size < want); i++) await sleep(20);
      const expected = [];
      for (const site of sites) {
        for (const producerId of site.known) {
          const c = await request(site.socket, 'consume', {
            transportId: site.recv.id,
            producerId,
            rtpCapabilities: receiverCapabilities(site.caps),
          });
          await request(site.socket, 'resumeConsumer', { consumerId: c.id });
          expected.push({ ssrc: c.rtpParameters.encodings[0].ssrc, kind: c.kind });
        }
      }
      await loadgen.call('expect', { list: expected });
      return expected;
    },
    /** A real WebRTC receiver (wrtc) in the first room, under the current load. */
    async probe(log) {
      const token = jwt.sign(
        {
          sub: randomUUID(),
          sid: firstRoom,
          name: 'WebRTC probe',
          role: 'specialist',
          facility: { id: null, name: 'Probe' },
          moderator: false,
        },
        keys.privatePem,
        {
          algorithm: 'ES256',
          issuer: 'caunoi-api',
          audience: 'caunoi-sfu',
          expiresIn: 600,
        },
      );
      const child = startProcess(
        'webrtc-probe',
        process.execPath,
        [path.join(HERE, 'webrtc-probe.mjs')],
        { cwd: ROOT, env: { SFU_URL: url, TOKEN: token } },
      );
      const code = await new Promise((r) => child.once('exit', r));
      const line = child
        .tail(5)
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop();
      if (code !== 0 || !line) {
        log(`WebRTC probe failed (exit ${code}): ${child.tail(10)}`);
        return { error: `exit ${code}: ${child.tail(10).slice(-500)}` };
      }
      return JSON.parse(line);
    },
    async close() {
      for (const s of sockets) s.close();
      server.child.disconnect?.();
      await stopProcess(server.child);
    },
  };
}

/** Bare mediasoup reference. */
export async function referenceServer() {
  const server = await ipcChild('sfu-reference', path.join(HERE, 'reference-server.mjs'));
  return {
    label: 'bare mediasoup (reference)',
    server,
    async addRoom(loadgen, receivePorts, roomNo) {
      const roomId = randomUUID();
      for (let s = 0; s < this.sitesPerRoom; s++) {
        const receiveAt = {
          ip: '127.0.0.1',
          port: receivePorts[(roomNo * this.sitesPerRoom + s) % receivePorts.length],
        };
        const { sendPort } = await server.call('addSite', {
          roomId,
          siteId: s,
          producers: producerParams(`site-${s}`),
          receiveAt,
        });
        await loadgen.call('addSender', { port: sendPort, ssrcs: [...VIDEO_SSRCS, AUDIO_SSRC] });
      }
      const consumers = await server.call('connectRoom', { roomId });
      const expected = consumers.map((c) => ({ ssrc: c.ssrc, kind: c.kind }));
      await loadgen.call('expect', { list: expected });
      return expected;
    },
    async close() {
      server.child.disconnect?.();
      await stopProcess(server.child);
    },
  };
}

function windowStats(a, b) {
  const seconds = (b.t - a.t) / 1000;
  const acc = {
    video: { recv: 0, exp: 0, bytes: 0, active: 0 },
    audio: { recv: 0, exp: 0, bytes: 0, active: 0 },
  };
  for (const [ssrc, [r1, b1, m1, kind]] of Object.entries(b.per)) {
    const s0 = a.per[ssrc];
    if (!s0 || s0[2] < 0 || m1 < 0) continue;
    const k = acc[kind];
    k.recv += r1 - s0[0];
    k.exp += m1 - s0[2];
    k.bytes += b1 - s0[1];
    if (r1 - s0[0] > 0) k.active++;
  }
  const loss = (k) => (k.exp > 0 ? Math.max(0, 1 - k.recv / k.exp) : null);
  return {
    seconds,
    videoStreamsReceiving: acc.video.active,
    audioStreamsReceiving: acc.audio.active,
    videoLoss: loss(acc.video),
    audioLoss: loss(acc.audio),
    loss:
      acc.video.exp + acc.audio.exp > 0
        ? Math.max(0, 1 - (acc.video.recv + acc.audio.recv) / (acc.video.exp + acc.audio.exp))
        : null,
    packetsOutPerSecond: (acc.video.recv + acc.audio.recv) / seconds,
    videoMbps: (acc.video.bytes * 8) / seconds / 1e6,
    audioMbps: (acc.audio.bytes * 8) / seconds / 1e6,
    packetsInPerSecond: (b.sentPackets - a.sentPackets) / seconds,
    lateTicks: b.lateTicks - a.lateTicks,
  };
}

async function ramp(kind, S, log, deadline) {
  const loadgen = await ipcChild(`loadgen-${kind}`, path.join(HERE, 'loadgen.mjs'));
  for (const l of loadgen.logs) log(l);
  const info = await loadgen.call('info');
  const target = kind === 'ours' ? await ourServer(log) : await referenceServer();
  target.sitesPerRoom = S.sitesPerRoom;
  const serverPid = target.server.child.pid;
  const workerPid =
    childPids(serverPid, 'mediasoup-work')[0] ?? (await target.server.call('workerPid'));
  const steps = [];
  let rooms = 0;
  let videoStreams = 0;
  let stopReason = `reached the size's ${S.maxRooms} rooms`;
  let probe = null;
  try {
    while (rooms < S.maxRooms) {
      if (Date.now() > deadline) {
        stopReason = 'time budget';
        break;
      }
      const t0 = Date.now();
      for (let i = 0; i < S.step && rooms < S.maxRooms; i++) {
        const expected = await target.addRoom(loadgen, info.receivePorts, rooms);
        videoStreams += expected.filter((e) => e.kind === 'video').length;
        rooms++;
      }
      const setupS = (Date.now() - t0) / 1000;
      await sleep(S.warmupS * 1000);
      const a = await loadgen.call('snapshot');
      const w = cpuWindow({
        worker: workerPid,
        server: serverPid,
        loadgen: loadgen.child.pid,
        driver: process.pid,
        ...(info.sinkPid ? { sink: info.sinkPid } : {}),
      });
      await sleep(S.windowS * 1000);
      const cpu = w.stop();
      const b = await loadgen.call('snapshot');
      const st = windowStats(a, b);
      const step = {
        rooms,
        sites: rooms * S.sitesPerRoom,
        forwardedVideoStreams: videoStreams,
        ...st,
        cpu: {
          workerPct: cpu.worker,
          serverNodePct: cpu.server,
          loadgenPct: cpu.loadgen + (cpu.sink ?? 0),
          senderPct: cpu.loadgen,
          receiverPct: cpu.sink ?? null,
          driverPct: cpu.driver,
          machinePct: cpu.machine,
        },
        setupSeconds: setupS,
      };
      step.workerPctPerVideoStream = cpu.worker / videoStreams;
      step.workerMicrosecondsPerPacketOut = (cpu.worker / 100 / st.packetsOutPerSecond) * 1e6;
      steps.push(step);
      log(
        `${kind} ${rooms} rooms: ${videoStreams} video streams (${st.videoStreamsReceiving} receiving), worker ${cpu.worker.toFixed(0)} %, node ${cpu.server.toFixed(0)} %, sender ${cpu.loadgen.toFixed(0)} % + receiver ${(cpu.sink ?? 0).toFixed(0)} %, machine ${cpu.machine.toFixed(0)} %, loss ${(st.loss * 100).toFixed(2)} %, ${st.videoMbps.toFixed(0)} Mbit/s video, ${st.packetsOutPerSecond.toFixed(0)} pkt/s out`,
      );
      if (st.loss > LOSS_LIMIT) {
        stopReason = `forwarded loss ${(st.loss * 100).toFixed(2)} % > ${LOSS_LIMIT * 100} %`;
        break;
      }
      if (cpu.worker >= 90) {
        stopReason = `worker core saturated (${cpu.worker.toFixed(0)} %)`;
        break;
      }
      if (cpu.loadgen >= 90 || cpu.machine >= 98) {
        stopReason = `load generator / machine saturated (sender ${cpu.loadgen.toFixed(0)} % + receiver ${(cpu.sink ?? 0).toFixed(0)} % of a core, machine ${cpu.machine.toFixed(0)} % of 2 cores)`;
        break;
      }
    }
    if (target.probe && steps.length) {
      probe = await target.probe(log);
      log(`WebRTC probe (wrtc, ${rooms} rooms loaded): ${JSON.stringify(probe)}`);
    }
  } finally {
    await target.close();
    loadgen.child.disconnect?.();
    await stopProcess(loadgen.child);
  }
  return {
    server: target.label,
    steps,
    stopReason,
    layers: info.layers,
    inputPacketsPerSecondPerSite: info.packetsPerSecond,
    receiver: info.receiver,
    webrtcProbe: probe,
  };
}

/** Steps usable for per-stream figures: loss within the limit and enough load to measure. */
function capacity(r) {
  const ok = r.steps.filter((s) => s.loss !== null && s.loss <= LOSS_LIMIT && s.cpu.workerPct >= 5);
  const use = ok.length > 2 ? ok.slice(Math.floor(ok.length / 2)) : ok; // the upper half of the ramp
  const perStream = median(use.map((s) => s.workerPctPerVideoStream));
  const best = ok[ok.length - 1];
  // Measured directly when the worker itself saturated: streams at that step per core used.
  const last = r.steps[r.steps.length - 1];
  const saturated =
    /worker core saturated/.test(r.stopReason) && last
      ? {
          videoStreams: last.forwardedVideoStreams,
          workerPct: last.cpu.workerPct,
          loss: last.loss,
          videoStreamsPerCore: last.forwardedVideoStreams / (last.cpu.workerPct / 100),
        }
      : null;
  return {
    saturated,
    stepsUsed: use.map((s) => s.rooms),
    workerPctPerVideoStream: perStream,
    extrapolatedVideoStreamsPerCore: perStream ? 100 / perStream : null,
    workerUsPerPacketOut: median(use.map((s) => s.workerMicrosecondsPerPacketOut)),
    nodePctPerVideoStream: median(use.map((s) => s.cpu.serverNodePct / s.forwardedVideoStreams)),
    largestCleanStep: best ?? null,
  };
}

export async function run({ size, log, deadline }) {
  const S = { ...SIZES[size] };
  // Development overrides (not used by the committed results).
  if (process.env.BENCH_SFU_STEP) S.step = Number(process.env.BENCH_SFU_STEP);
  if (process.env.BENCH_SFU_MAX_ROOMS) S.maxRooms = Number(process.env.BENCH_SFU_MAX_ROOMS);
  ensureBuilt(log);
  const half = Date.now() + (deadline - Date.now()) / 2;
  const ours = await ramp('ours', S, log, half);
  const reference = await ramp(
    'reference',
    { ...S, maxRooms: Math.max(...ours.steps.map((s) => s.rooms), S.step) },
    log,
    deadline,
  );
  const capO = capacity(ours);
  const capR = capacity(reference);
  // Overhead: same rooms, same run; per-step ratio of worker CPU, and of worker + Node CPU.
  const pairs = ours.steps
    .map((o) => [o, reference.steps.find((r) => r.rooms === o.rooms)])
    .filter(
      ([o, r]) =>
        r &&
        o.cpu.workerPct >= 5 &&
        r.cpu.workerPct >= 5 &&
        o.loss <= LOSS_LIMIT &&
        r.loss <= LOSS_LIMIT,
    );
  const overheadWorker = median(pairs.map(([o, r]) => o.cpu.workerPct / r.cpu.workerPct));
  const overheadTotal = median(
    pairs.map(
      ([o, r]) => (o.cpu.workerPct + o.cpu.serverNodePct) / (r.cpu.workerPct + r.cpu.serverNodePct),
    ),
  );
  const fmtStep = (label, s) => [
    label,
    s.rooms,
    s.forwardedVideoStreams,
    s.videoStreamsReceiving,
    round(s.cpu.workerPct, 0),
    round(s.cpu.serverNodePct, 1),
    round(s.cpu.loadgenPct, 0),
    round(s.cpu.machinePct, 0),
    round(s.workerPctPerVideoStream, 3),
    round((s.videoLoss ?? 0) * 100, 2),
    round((s.audioLoss ?? 0) * 100, 2),
    round(s.videoMbps, 0),
    round(s.packetsOutPerSecond, 0),
  ];
  const perSite = ours.inputPacketsPerSecondPerSite;
  const markdown = [
    `Rooms of ${S.sitesPerRoom} sites; each site publishes VP8 simulcast (${ours.layers.map((l) => `${l.width}x${l.height}@${l.fps} ${l.kbps} kbit/s`).join(', ')}) + Opus 32 kbit/s — real ffmpeg (libvpx/libopus) RTP, replayed (${Object.entries(
      perSite,
    )
      .map(([k, v]) => `${k} ${round(v, 0)} pkt/s`)
      .join(
        ', ',
      )}) — and receives every other site (top layer + audio). One mediasoup worker. Publishers and receivers are PlainTransports (plain RTP, comedia in, connected out) in both servers, so ICE/DTLS/SRTP cost is not included; in our SFU every peer is admitted with a signed ES256 join token and joins, produces, consumes and resumes through the real socket.io signalling and Room code. Ramp +${S.step} rooms per step, ${S.warmupS} s warm-up, ${S.windowS} s window; stop at worker ≥ 90 %, loss > 0.5 %, or generator/machine saturation. Loss is from RTP sequence numbers at the receivers (${ours.receiver} receivers answering with RTCP receiver reports; the publishers send RTCP sender reports).`,
    '',
    `**Our SFU**: stopped because ${ours.stopReason}. **Reference**: stopped because ${reference.stopReason}.`,
    '',
    table([
      [
        'server',
        'rooms',
        'video streams forwarded',
        'receiving',
        'worker CPU %',
        'SFU Node CPU %',
        'load gen CPU %',
        'machine CPU % (2 cores)',
        'worker % per video stream',
        'video loss %',
        'audio loss %',
        'video Mbit/s out',
        'packets/s out',
      ],
      ...ours.steps.map((s) => fmtStep('ours', s)),
      ...reference.steps.map((s) => fmtStep('reference', s)),
    ]),
    '',
    table([
      ['figure', 'our SFU', 'bare mediasoup'],
      [
        'worker CPU per forwarded video stream (+ its audio), % of a core',
        round(capO.workerPctPerVideoStream, 3),
        round(capR.workerPctPerVideoStream, 3),
      ],
      [
        'forwarded video streams per core (extrapolated from that)',
        round(capO.extrapolatedVideoStreamsPerCore, 0),
        round(capR.extrapolatedVideoStreamsPerCore, 0),
      ],
      [
        'worker CPU per forwarded packet, µs',
        round(capO.workerUsPerPacketOut, 2),
        round(capR.workerUsPerPacketOut, 2),
      ],
      [
        'Node (SFU process) CPU per video stream, % of a core',
        round(capO.nodePctPerVideoStream, 4),
        round(capR.nodePctPerVideoStream, 4),
      ],
      [
        'at worker saturation (measured): video streams / worker % / loss %',
        capO.saturated
          ? `${capO.saturated.videoStreams} / ${round(capO.saturated.workerPct, 0)} / ${round(capO.saturated.loss * 100, 2)}`
          : 'not reached',
        capR.saturated
          ? `${capR.saturated.videoStreams} / ${round(capR.saturated.workerPct, 0)} / ${round(capR.saturated.loss * 100, 2)}`
          : 'not reached',
      ],
      [
        'largest clean step: video streams / worker % / loss %',
        capO.largestCleanStep
          ? `${capO.largestCleanStep.forwardedVideoStreams} / ${round(capO.largestCleanStep.cpu.workerPct, 0)} / ${round(capO.largestCleanStep.loss * 100, 2)}`
          : null,
        capR.largestCleanStep
          ? `${capR.largestCleanStep.forwardedVideoStreams} / ${round(capR.largestCleanStep.cpu.workerPct, 0)} / ${round(capR.largestCleanStep.loss * 100, 2)}`
          : null,
      ],
    ]),
    '',
    ours.webrtcProbe && !ours.webrtcProbe.error
      ? `Real WebRTC check (after the ramp, load still on): a mediasoup-client receiver on @roamhq/wrtc joined the first room with a join token through a WebRtcTransport (ICE, DTLS, SRTP) and decoded ${ours.webrtcProbe.videos} remote videos at ${ours.webrtcProbe.framesPerSecond.join(' / ')} frames/s, widths ${ours.webrtcProbe.widths.join(' / ')} px (all decoding ${ours.webrtcProbe.allVideosDecodingAfterMs} ms after connecting); audio ${ours.webrtcProbe.audioBytes} bytes.\n`
      : `Real WebRTC check: ${ours.webrtcProbe?.error ?? 'not run'}.\n`,
    `Overhead of our SFU over bare mediasoup at equal load (median over ${pairs.length} paired steps): worker CPU × **${round(overheadWorker, 3)}**, worker + Node CPU × **${round(overheadTotal, 3)}**. Targets: ≥ ${TARGET.streamsPerCore} forwarded streams per core; within 10 % of bare mediasoup (ratio ≤ ${TARGET.overhead}).`,
  ].join('\n');
  return {
    data: {
      size: S,
      lossLimit: LOSS_LIMIT,
      targets: TARGET,
      ours,
      reference,
      capacity: { ours: capO, reference: capR },
      overhead: {
        worker: overheadWorker,
        workerPlusNode: overheadTotal,
        pairedSteps: pairs.map(([o]) => o.rooms),
      },
    },
    markdown,
    headline: `ours ${round(capO.extrapolatedVideoStreamsPerCore, 0)} video streams/core (extrapolated; largest clean step ${capO.largestCleanStep?.forwardedVideoStreams} streams at ${round(capO.largestCleanStep?.cpu.workerPct, 0)} % worker), bare ${round(capR.extrapolatedVideoStreamsPerCore, 0)}; overhead × ${round(overheadTotal, 3)} (worker + Node)`,
  };
}
