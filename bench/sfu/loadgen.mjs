// The load generator process: replays the ffmpeg capture to every publishing site's PlainTransport
// and counts what the SFU forwards on a few UDP sockets (consumers' PlainTransports send there),
// per SSRC with RTP sequence numbers (loss = expected − received over a window). Driven over IPC.
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildTimeline, loadCapture, rtpPacket } from './media.mjs';

const SEND_SOCKETS = 4;
const RECV_SOCKETS = 8;
const TICK_MS = 5;

const cap = await loadCapture((m) => process.send({ log: m }));
const plan = buildTimeline(cap);
const loopMs = plan.loopSeconds * 1000;

const bind = (opts) =>
  new Promise((resolve) => {
    const s = dgram.createSocket(opts);
    s.bind(0, '127.0.0.1', () => resolve(s));
  });
const senders = await Promise.all(
  Array.from({ length: SEND_SOCKETS }, () => bind({ type: 'udp4', sendBufferSize: 4 << 20 })),
);
for (const s of senders) s.on('message', () => {}); // RTCP from the SFU (receiver reports, PLIs): drained, ignored
const receivers = await Promise.all(
  Array.from({ length: RECV_SOCKETS }, () => bind({ type: 'udp4', recvBufferSize: 16 << 20 })),
);

// The C receiver (rtp-sink.c), compiled once into the cache; without a C compiler the JS
// receivers below count instead (and saturate the generator much earlier).
async function startSink() {
  if (process.env.BENCH_JS_RECEIVERS === '1') return null;
  const src = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rtp-sink.c');
  const dir = path.join(
    process.env.CAUNOI_CACHE_DIR ?? path.join(os.homedir(), '.cache/caunoi'),
    'bench',
  );
  const bin = path.join(dir, `rtp-sink-${fs.statSync(src).mtimeMs.toFixed(0)}`);
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    const r = spawnSync('cc', ['-O2', '-o', bin, src], { stdio: 'pipe' });
    if (r.status !== 0) {
      process.send({
        log: `no C compiler for rtp-sink (${String(r.stderr || r.error).slice(0, 200)}): counting in JS`,
      });
      return null;
    }
  }
  const proc = spawn(bin, [String(RECV_SOCKETS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: proc.stdout });
  const waiting = [];
  lines.on('line', (l) => waiting.shift()?.(JSON.parse(l)));
  const first = await new Promise((r) => waiting.push(r));
  return {
    proc,
    ports: first.ports,
    snapshot: () =>
      new Promise((r) => {
        waiting.push(r);
        proc.stdin.write('S\n');
      }),
  };
}
const sink = await startSink();

/** ssrc → { received, bytes, maxExt, kind } */
const streams = new Map();
let rtcpIn = 0;
let unknownIn = 0;
for (const s of receivers) {
  s.on('message', (m, rinfo) => {
    const pt = m[1];
    if (pt >= 200 && pt <= 206) {
      rtcpIn++;
      return;
    }
    const st = streams.get(m.readUInt32BE(8));
    if (!st) {
      unknownIn++;
      return;
    }
    const seq = m.readUInt16BE(2);
    if (!st.sock) {
      st.sock = s;
      st.port = rinfo.port;
    }
    st.received++;
    st.bytes += m.length;
    if (st.maxExt < 0) st.maxExt = st.baseExt = seq;
    else {
      const last = st.maxExt & 0xffff;
      const delta = (seq - last + 0x10000) & 0xffff;
      if (delta < 0x8000) st.maxExt += delta; // forward (delta 0 = duplicate)
    }
  });
}

// Receiver reports once a second per forwarded stream, like a real receiver: the SFU uses them
// for its consumer scores (and a simulcast consumer picks layers with them).
const rrTimer = setInterval(() => {
  for (const [ssrc, st] of streams) {
    if (!st.sock || st.maxExt < 0) continue;
    const expected = st.maxExt - st.baseExt + 1;
    const lost = Math.max(0, expected - st.received);
    const expInt = expected - (st.prevExpected ?? 0);
    const recInt = st.received - (st.prevReceived ?? 0);
    const fraction =
      expInt > 0 ? Math.max(0, Math.min(255, Math.floor(((expInt - recInt) * 256) / expInt))) : 0;
    st.prevExpected = expected;
    st.prevReceived = st.received;
    const rr = Buffer.alloc(32);
    rr[0] = 0x81;
    rr[1] = 201;
    rr.writeUInt16BE(7, 2);
    rr.writeUInt32BE(0x0badcafe, 4);
    rr.writeUInt32BE(Number(ssrc) >>> 0, 8);
    rr.writeUInt32BE(((fraction & 0xff) << 24) | (Math.min(lost, 0x7fffff) & 0xffffff), 12);
    rr.writeUInt32BE(st.maxExt >>> 0, 16);
    st.sock.send(rr, st.port, '127.0.0.1');
  }
}, 1000);

// ---- sending
const sites = []; // { port, sock, start, cursor, loop, sent }
let sentPackets = 0;
let sentBytes = 0;
let lateTicks = 0;
let lastTick = Date.now();
const timer = setInterval(() => {
  const now = Date.now();
  if (now - lastTick > TICK_MS * 4) lateTicks++;
  lastTick = now;
  for (const site of sites) {
    const elapsed = now - site.start;
    for (;;) {
      const e = plan.timeline[site.cursor];
      if (site.loop * loopMs + e.t * 1000 > elapsed) break;
      const pkt = rtpPacket(plan, e, site.loop, site.ssrcs[e.si]);
      site.sock.send(pkt, site.port, '127.0.0.1');
      sentPackets++;
      sentBytes += pkt.length;
      site.packets[e.si]++;
      site.octets[e.si] += pkt.length - 12;
      if (++site.cursor === plan.timeline.length) {
        site.cursor = 0;
        site.loop++;
      }
    }
  }
}, TICK_MS);

// RTCP sender reports, once a second per stream, like any real sender: mediasoup's simulcast
// consumer needs them to switch between layers (it aligns the layers' timestamps with them).
const NTP_EPOCH_OFFSET = 2208988800;
const srTimer = setInterval(() => {
  const now = Date.now();
  const ntpSec = Math.floor(now / 1000) + NTP_EPOCH_OFFSET;
  const ntpFrac = Math.floor(((now % 1000) / 1000) * 2 ** 32);
  for (const site of sites) {
    const elapsed = (now - site.start) / 1000;
    site.ssrcs.forEach((ssrc, si) => {
      const clock = si === site.ssrcs.length - 1 ? 48000 : 90000;
      const sr = Buffer.allocUnsafe(28);
      sr[0] = 0x80;
      sr[1] = 200;
      sr.writeUInt16BE(6, 2);
      sr.writeUInt32BE(ssrc >>> 0, 4);
      sr.writeUInt32BE(ntpSec >>> 0, 8);
      sr.writeUInt32BE(ntpFrac >>> 0, 12);
      sr.writeUInt32BE(Math.round(elapsed * clock) >>> 0, 16);
      sr.writeUInt32BE(site.packets[si] >>> 0, 20);
      sr.writeUInt32BE(site.octets[si] >>> 0, 24);
      site.sock.send(sr, site.port, '127.0.0.1');
    });
  }
}, 1000);

const ops = {
  info: async () => ({
    receivePorts: sink ? sink.ports : receivers.map((s) => s.address().port),
    sinkPid: sink?.proc.pid ?? null,
    receiver: sink ? 'C (recvmmsg)' : 'Node dgram',
    layers: cap.layers,
    packetsPerSecond: Object.fromEntries(
      plan.names.map((n, i) => [n, plan.perStream[i] / plan.loopSeconds]),
    ),
  }),
  /** Start sending one site's streams (ssrcs: [l0, l1, l2, audio]) to a PlainTransport port. */
  addSender: async ({ port, ssrcs }) => {
    // Spread sites over the loop so keyframes and bursts do not line up.
    const offset = Math.floor(Math.random() * loopMs);
    let cursor = plan.timeline.findIndex((e) => e.t * 1000 >= offset);
    if (cursor < 0) cursor = 0;
    sites.push({
      port,
      ssrcs,
      sock: senders[sites.length % SEND_SOCKETS],
      start: Date.now() - plan.timeline[cursor].t * 1000,
      cursor,
      loop: 0,
      packets: ssrcs.map(() => 0),
      octets: ssrcs.map(() => 0),
    });
    return { senders: sites.length };
  },
  expect: async ({ list }) => {
    for (const { ssrc, kind } of list)
      streams.set(ssrc, { kind, received: 0, bytes: 0, maxExt: -1 });
    return { streams: streams.size };
  },
  snapshot: async () => {
    const per = {};
    if (sink) {
      const t = Date.now();
      const snap = await sink.snapshot();
      let unknown = 0;
      for (const [ssrc, [r, b, m]] of Object.entries(snap.per)) {
        const st = streams.get(Number(ssrc));
        if (st) per[ssrc] = [r, b, m, st.kind];
        else unknown++;
      }
      return { t, per, sentPackets, sentBytes, rtcpIn: snap.rtcpIn, unknownIn: unknown, lateTicks };
    }
    for (const [ssrc, s] of streams) per[ssrc] = [s.received, s.bytes, s.maxExt, s.kind];
    return { t: Date.now(), per, sentPackets, sentBytes, rtcpIn, unknownIn, lateTicks };
  },
};
process.on('message', async ({ id, op, args }) => {
  try {
    process.send({ id, ok: true, data: await ops[op](args) });
  } catch (err) {
    process.send({ id, ok: false, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => {
  clearInterval(timer);
  clearInterval(srTimer);
  clearInterval(rrTimer);
  sink?.proc.kill();
  process.exit(0);
});
process.send({ ready: true });
