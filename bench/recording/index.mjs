// What one recorder costs: rooms of 3–5 sites (each a VP8 camera at 640x360 ~700 kbit/s and an
// Opus microphone, real RTP replayed from the capture of bench/sfu) are recorded by the SFU's own
// TrackRecorder (PlainTransport → ffmpeg -c copy), more rooms at a time step by step. Measured:
// the ffmpeg processes' CPU (% of one core) and the mediasoup worker's, MB per minute of
// recording, the mux at the end, and whether every file holds the whole window. Nothing is
// asserted: the numbers go to bench/results/recording-*.{json,md}.
import dgram from 'node:dgram';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt } from '../lib/build.mjs';
import { cpuWindow } from '../lib/cpu.mjs';
import { ROOT, table } from '../lib/results.mjs';
import { round, sleep } from '../lib/stats.mjs';
import { buildTimeline, loadCapture, PT, rtpPacket } from '../sfu/media.mjs';

const exec = promisify(execFile);
const require = createRequire(import.meta.url);
const SIZES = {
  small: { steps: [1], sites: [3, 5], windowSeconds: 15 },
  default: { steps: [1, 4], sites: [3, 5], windowSeconds: 30 },
  large: { steps: [1, 4, 8, 16], sites: [3, 5], windowSeconds: 60 },
};
const quietLog = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLog };

export async function run({ size, log, deadline }) {
  ensureBuilt(log);
  const mediasoup = require(path.join(ROOT, 'node_modules/mediasoup'));
  const { MEDIA_CODECS } = require(path.join(ROOT, 'apps/sfu/dist/media/codecs.js'));
  const { TrackRecorder } = require(path.join(ROOT, 'apps/sfu/dist/recording/track-recorder.js'));
  const { muxTracks } = require(path.join(ROOT, 'apps/sfu/dist/recording/ffmpeg.js'));
  const cfg = SIZES[size];
  const cap = await loadCapture(log);
  const plan = buildTimeline(cap);
  const video = plan.names.indexOf('l2');
  const audio = plan.names.indexOf('audio');
  const entries = plan.timeline.filter((e) => e.si === video || e.si === audio);

  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  const router = await worker.createRouter({ mediaCodecs: MEDIA_CODECS });
  const factory = {
    async plain(r, o) {
      const t = await r.createPlainTransport({
        listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
        rtcpMux: true,
        comedia: false,
      });
      await t.connect(o.remote);
      return t;
    },
  };
  let nextSsrc = 1000;

  /** One site: a comedia transport with a camera and a microphone fed from the capture. */
  async function site() {
    const transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      comedia: true,
    });
    const ssrc = { video: nextSsrc++, audio: nextSsrc++ };
    const cam = await transport.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: PT.vp8, clockRate: 90000 }],
        encodings: [{ ssrc: ssrc.video }],
      },
    });
    const mic = await transport.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: PT.opus, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: ssrc.audio }],
      },
    });
    // A separate sender socket per site: comedia learns the site's address from it.
    const out = dgram.createSocket('udp4');
    await new Promise((r) => out.bind(0, '127.0.0.1', r));
    return { transport, producers: [cam, mic], ssrc, out, port: transport.tuple.localPort };
  }

  // The replay: every site sends the same capture with its own SSRCs, in real time.
  const sites = [];
  const t0 = performance.now();
  let cursor = 0;
  let loop = 0;
  const pump = setInterval(() => {
    const now = (performance.now() - t0) / 1000 - loop * plan.loopSeconds;
    while (cursor < entries.length && entries[cursor].t <= now) {
      const e = entries[cursor++];
      for (const s of sites) {
        const pkt = rtpPacket(plan, e, loop, e.si === video ? s.ssrc.video : s.ssrc.audio);
        s.out.send(pkt, s.port, '127.0.0.1');
      }
    }
    if (cursor >= entries.length) {
      cursor = 0;
      loop++;
    }
  }, 5);

  const steps = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caunoi-bench-rec-'));
  try {
    for (const rooms of cfg.steps) {
      if (Date.now() + (cfg.windowSeconds + 30) * 1000 > deadline) {
        log(`budget: stopping before ${rooms} rooms`);
        break;
      }
      for (const sitesPerRoom of cfg.sites) {
        const needed = rooms * sitesPerRoom - sites.length;
        for (let i = 0; i < needed; i++) sites.push(await site());
        await sleep(1500); // producers receiving before the recorders start
        const stepDir = path.join(dir, `${rooms}x${sitesPerRoom}`);
        fs.mkdirSync(stepDir);
        const recorders = [];
        const startMs = Date.now();
        for (let r = 0; r < rooms; r++) {
          const roomSites = sites.slice(r * sitesPerRoom, (r + 1) * sitesPerRoom);
          for (const s of roomSites)
            for (const p of s.producers) {
              const rec = new TrackRecorder(
                {
                  index: recorders.length,
                  producerId: p.id,
                  kind: p.kind,
                  source: p.kind === 'audio' ? 'mic' : 'camera',
                  displayName: 'bench',
                  site: `site ${r}`,
                },
                stepDir,
                'ffmpeg',
                quietLog,
                (_t, reason) => log(`recorder crashed: ${reason}`),
                () => undefined,
              );
              await rec.start(router, factory, p);
              recorders.push({ rec, room: r });
            }
        }
        await sleep(3000); // past ffmpeg's start and probing
        const pids = Object.fromEntries(recorders.map((x, i) => [`ffmpeg${i}`, x.rec.pid]));
        const win = cpuWindow({ ...pids, worker: worker.pid, bench: process.pid });
        await sleep(cfg.windowSeconds * 1000);
        const cpu = win.stop();
        const files = [];
        for (const x of recorders) files.push({ ...(await x.rec.stop(startMs)), room: x.room });
        const valid = files.filter((f) => f.path);
        const bytes = valid.reduce((n, f) => n + fs.statSync(f.path).size, 0);
        const minutes = (Date.now() - startMs) / 60000;
        const muxStart = performance.now();
        const room0 = valid.filter((f) => f.room === 0);
        await muxTracks('ffmpeg', room0, path.join(stepDir, 'session.mkv'));
        const muxMs = performance.now() - muxStart;
        const probe = JSON.parse(
          (
            await exec('ffprobe', [
              '-v',
              'error',
              '-of',
              'json',
              '-show_format',
              '-show_streams',
              path.join(stepDir, 'session.mkv'),
            ])
          ).stdout,
        );
        const ffmpegCpu = recorders.reduce((n, _x, i) => n + cpu[`ffmpeg${i}`], 0);
        const step = {
          rooms,
          sitesPerRoom,
          tracks: recorders.length,
          filesWithMedia: valid.length,
          ffmpegCpuPercent: round(ffmpegCpu, 1),
          ffmpegCpuPerTrack: round(ffmpegCpu / recorders.length, 2),
          ffmpegCpuPerRoom: round(ffmpegCpu / rooms, 1),
          workerCpuPercent: round(cpu.worker, 1),
          benchCpuPercent: round(cpu.bench, 1),
          machineBusyPercent: round(cpu.machine, 1),
          mbPerMinutePerRoom: round(bytes / 1e6 / minutes / rooms, 2),
          mbPerMinutePerTrack: round(bytes / 1e6 / minutes / recorders.length, 2),
          muxMsRoom0: round(muxMs, 0),
          room0Streams: probe.streams.length,
          room0DurationSeconds: round(Number(probe.format.duration), 1),
          windowSeconds: round((Date.now() - startMs) / 1000, 1),
        };
        log(JSON.stringify(step));
        steps.push(step);
        fs.rmSync(stepDir, { recursive: true, force: true });
      }
    }
  } finally {
    clearInterval(pump);
    for (const s of sites) s.out.close();
    worker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // Per room-recording: its ffmpegs plus the worker's extra forwarding (the worker's CPU over the
  // rooms recorded, which also carries the sites' ingest: an upper bound).
  const per = (s) => s.ffmpegCpuPerRoom + s.workerCpuPercent / s.rooms;
  const byRoomSize = Object.fromEntries(
    cfg.sites.map((n) => {
      const of = steps.filter((s) => s.sitesPerRoom === n);
      const last = of.at(-1);
      return [
        n,
        last
          ? { cpuPerRoomPercent: round(per(last), 1), roomsPerCore: Math.floor(100 / per(last)) }
          : null,
      ];
    }),
  );
  const headline = Object.entries(byRoomSize)
    .filter(([, v]) => v)
    .map(
      ([n, v]) =>
        `${n}-site room: ~${v.cpuPerRoomPercent}% of a core → ~${v.roomsPerCore} recordings per core`,
    )
    .join('; ');
  const markdown = [
    `Recorder per room = one ffmpeg per track copying RTP (no re-encoding). Sites send VP8 640x360 (~700 kbit/s) + Opus, replayed from the bench/sfu capture; each step records that many rooms at once for ${cfg.windowSeconds} s.`,
    '',
    table([
      [
        'rooms',
        'sites',
        'tracks',
        'ffmpeg CPU %',
        'per track %',
        'worker CPU %',
        'MB/min per room',
        'mux ms (1 room)',
        'room 0: streams / duration',
        'machine busy %',
      ],
      ...steps.map((s) => [
        s.rooms,
        s.sitesPerRoom,
        s.tracks,
        s.ffmpegCpuPercent,
        s.ffmpegCpuPerTrack,
        s.workerCpuPercent,
        s.mbPerMinutePerRoom,
        s.muxMsRoom0,
        `${s.room0Streams} / ${s.room0DurationSeconds} s`,
        s.machineBusyPercent,
      ]),
    ]),
    '',
    `**Per core** (ffmpegs of a room + the worker's CPU shared over the rooms, an upper bound as it includes ingest): ${headline}.`,
  ].join('\n');
  return { data: { steps, byRoomSize, windowSeconds: cfg.windowSeconds }, markdown, headline };
}
