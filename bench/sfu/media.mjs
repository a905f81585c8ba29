// Real VP8 (three simulcast layers) and Opus RTP from ffmpeg, captured once and replayed by the
// load generator. ffmpeg encodes a test pattern and a tone and sends RTP to loopback sockets; the
// packets are stored with their RTP timing and replayed in a loop with continuous sequence
// numbers, timestamps and VP8 picture ids, so a mediasoup producer sees one endless stream.
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

export const PT = { opus: 100, vp8: 101 };
// Simulcast layers, low to high (the order of the producer's encodings).
export const LAYERS = [
  { name: 'l0', width: 160, height: 90, fps: 15, kbps: 100 },
  { name: 'l1', width: 320, height: 180, fps: 30, kbps: 300 },
  { name: 'l2', width: 640, height: 360, fps: 30, kbps: 700 },
];
export const SECONDS = 10;
const CACHE = path.join(
  process.env.CAUNOI_CACHE_DIR ?? path.join(os.homedir(), '.cache/caunoi'),
  'bench',
);
const FILE = path.join(CACHE, `rtp-capture-v1-${SECONDS}s.json`);

function parseRtp(buf) {
  const cc = buf[0] & 0x0f;
  const x = (buf[0] & 0x10) !== 0;
  let off = 12 + cc * 4;
  if (x) off += 4 + buf.readUInt16BE(off + 2) * 4;
  return {
    marker: (buf[1] & 0x80) !== 0,
    pt: buf[1] & 0x7f,
    seq: buf.readUInt16BE(2),
    ts: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payloadOffset: off,
  };
}

/** Capture (or load the cached capture): { streams: { l0, l1, l2, audio: [{t, marker, payload}] } }. */
export async function loadCapture(log = console.log) {
  if (fs.existsSync(FILE)) return revive(JSON.parse(fs.readFileSync(FILE, 'utf8')));
  const ff = spawnSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' });
  if (ff.status !== 0)
    throw new Error(
      'ffmpeg not found: install it (Debian: apt-get install -y --no-install-recommends ffmpeg) to generate the VP8/Opus RTP capture',
    );
  fs.mkdirSync(CACHE, { recursive: true });
  const names = [...LAYERS.map((l) => l.name), 'audio'];
  const sockets = await Promise.all(
    names.map(
      (name) =>
        new Promise((resolve) => {
          const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 16 * 1024 * 1024 });
          const packets = [];
          s.on('message', (m) => {
            if (m[1] >= 200 && m[1] <= 206) return; // RTCP
            packets.push(Buffer.from(m));
          });
          s.bind(0, '127.0.0.1', () => resolve({ name, s, packets, port: s.address().port }));
        }),
    ),
  );
  const byName = Object.fromEntries(sockets.map((x) => [x.name, x]));
  const vp8 = (l, i) => [
    '-map',
    `[v${i}]`,
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    `${l.kbps}k`,
    '-maxrate',
    `${l.kbps}k`,
    '-bufsize',
    `${l.kbps}k`,
    '-g',
    String(l.fps),
    '-keyint_min',
    String(l.fps),
    '-auto-alt-ref',
    '0',
    '-lag-in-frames',
    '0',
    '-error-resilient',
    '1',
    '-payload_type',
    String(PT.vp8),
    '-ssrc',
    String(1000 + i),
    '-f',
    'rtp',
    `rtp://127.0.0.1:${byName[l.name].port}?pkt_size=1200`,
  ];
  const filter =
    `[0:v]split=${LAYERS.length}${LAYERS.map((_, i) => `[s${i}]`).join('')};` +
    LAYERS.map((l, i) => `[s${i}]scale=${l.width}:${l.height},fps=${l.fps}[v${i}]`).join(';');
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-t',
    String(SECONDS + 0.5),
    '-i',
    `testsrc2=size=640x360:rate=30`,
    '-f',
    'lavfi',
    '-t',
    String(SECONDS + 0.5),
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-filter_complex',
    filter,
    ...LAYERS.flatMap(vp8),
    '-map',
    '1:a',
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
    '-application',
    'voip',
    '-frame_duration',
    '20',
    '-ac',
    '2',
    '-payload_type',
    String(PT.opus),
    '-ssrc',
    '2000',
    '-f',
    'rtp',
    `rtp://127.0.0.1:${byName.audio.port}?pkt_size=1200`,
  ];
  log(`capturing ${SECONDS} s of ffmpeg VP8 simulcast + Opus RTP (cached in ${FILE})`);
  await new Promise((resolve, reject) => {
    const p = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${err.slice(-1500)}`)),
    );
  });
  await new Promise((r) => setTimeout(r, 300));
  const streams = {};
  for (const { name, s, packets } of sockets) {
    s.close();
    if (packets.length === 0) throw new Error(`ffmpeg produced no RTP for ${name}`);
    const clock = name === 'audio' ? 48000 : 90000;
    const first = parseRtp(packets[0]);
    // Keep whole seconds from the first packet, ordered by sequence number.
    const list = packets
      .map((b) => ({ b, h: parseRtp(b) }))
      .sort((a, z) => ((a.h.seq - first.seq) & 0xffff) - ((z.h.seq - first.seq) & 0xffff))
      .map(({ b, h }) => ({
        t: ((h.ts - first.ts) >>> 0) / clock,
        marker: h.marker,
        payload: b.subarray(h.payloadOffset).toString('base64'),
      }))
      .filter((p) => p.t < SECONDS);
    streams[name] = list;
  }
  fs.writeFileSync(FILE, JSON.stringify({ seconds: SECONDS, layers: LAYERS, streams }));
  return revive({ seconds: SECONDS, layers: LAYERS, streams });
}

function revive(cap) {
  for (const list of Object.values(cap.streams))
    for (const p of list) p.payload = Buffer.from(p.payload, 'base64');
  return cap;
}

/**
 * A replay plan for one publisher: a merged timeline of the 4 streams for one loop. Each entry
 * knows its stream index; `packet(entry, loop, ssrc)` builds the RTP packet for that loop.
 */
export function buildTimeline(cap) {
  const names = [...LAYERS.map((l) => l.name), 'audio'];
  const timeline = [];
  const perStream = names.map((n) => cap.streams[n].length);
  // Frames per loop (for continuous VP8 picture ids): count markers.
  const framesPerLoop = names.map((n) => cap.streams[n].filter((p) => p.marker).length);
  names.forEach((n, si) =>
    cap.streams[n].forEach((p, i) =>
      timeline.push({ t: p.t, si, i, marker: p.marker, payload: p.payload }),
    ),
  );
  timeline.sort((a, b) => a.t - b.t);
  return { names, timeline, perStream, framesPerLoop, loopSeconds: cap.seconds };
}

/** The RTP packet of `entry` in loop number `loop` with the given SSRC. */
export function rtpPacket(plan, entry, loop, ssrc) {
  const audio = entry.si === plan.names.length - 1;
  const clock = audio ? 48000 : 90000;
  const out = Buffer.allocUnsafe(12 + entry.payload.length);
  out[0] = 0x80;
  out[1] = (entry.marker ? 0x80 : 0) | (audio ? PT.opus : PT.vp8);
  out.writeUInt16BE((entry.i + loop * plan.perStream[entry.si]) & 0xffff, 2);
  out.writeUInt32BE(Math.round((entry.t + loop * plan.loopSeconds) * clock) >>> 0, 4);
  out.writeUInt32BE(ssrc >>> 0, 8);
  entry.payload.copy(out, 12);
  if (!audio && loop > 0) {
    // VP8 payload descriptor: X → I → 15-bit (M) or 7-bit picture id; keep it increasing across loops.
    const p = 12;
    if (out[p] & 0x80 && out[p + 1] & 0x80) {
      if (out[p + 2] & 0x80) {
        const id = (((out[p + 2] & 0x7f) << 8) | out[p + 3]) + loop * plan.framesPerLoop[entry.si];
        out[p + 2] = 0x80 | ((id >> 8) & 0x7f);
        out[p + 3] = id & 0xff;
      } else {
        out[p + 2] = ((out[p + 2] & 0x7f) + loop * plan.framesPerLoop[entry.si]) & 0x7f;
      }
    }
  }
  return out;
}
