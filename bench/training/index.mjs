// Tele-education room: one presenter (camera + shared screen) and N receiving sites in one
// training room of our SFU (apps/sfu/dist in a child process), every site a real WebRTC peer
// (mediasoup-client on Node's @roamhq/wrtc: ICE, DTLS, SRTP, libvpx decoding), as the SFU test
// makes them. One site raises its hand and is given the floor, so every receiver gets two videos
// (the presenter's screen and the speaker; last-N keeps the presenter's camera paused). Over a
// window: the SFU's CPU (Node process + mediasoup worker, process CPU time from /proc) and what
// the SFU sends each receiver (its receive transport, kbit/s), per room size.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../lib/build.mjs';
import { cpuWindow } from '../lib/cpu.mjs';
import { es256KeyPair } from '../lib/keys.mjs';
import { stopProcess } from '../lib/proc.mjs';
import { ROOT, table } from '../lib/results.mjs';
import { median, round, sleep } from '../lib/stats.mjs';
import { ipcChild } from '../sfu/index.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const sfuRequire = createRequire(path.join(ROOT, 'apps/sfu/package.json'));
const jwt = sfuRequire('jsonwebtoken');

const SIZES = {
  small: { sites: [10], windowMs: 5_000 },
  default: { sites: [20, 50], windowMs: 8_000 },
  large: { sites: [20, 50], windowMs: 20_000 },
};

/** The test's MediaBot, bundled once for Node (its packages stay external, from node_modules). */
async function loadBots() {
  const { build } = sfuRequire('esbuild');
  const out = path.join(ROOT, 'tmp/bench/training-bots.cjs');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'apps/sfu/test/support/media-bot.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile: out,
    logLevel: 'silent',
  });
  return createRequire(out)(out);
}

async function waitUntil(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(250);
  }
}

async function room(MediaBot, sites, windowMs, log) {
  const keys = es256KeyPair();
  const server = await ipcChild('sfu-training', path.join(HERE, '../sfu/our-server.mjs'), {
    SFU_PORT: '0',
    SFU_HOST: '127.0.0.1',
    SFU_RTC_PORT: '0',
    SFU_LISTEN_IP: '127.0.0.1',
    SFU_ANNOUNCED_ADDRESS: '127.0.0.1',
    SFU_WORKERS: '1',
    JOIN_TOKEN_PUBLIC_KEY: keys.publicPem,
    LOG_LEVEL: 'warn',
  });
  const url = `http://127.0.0.1:${await server.call('port')}`;
  const sid = randomUUID();
  const token = (claims) =>
    jwt.sign(
      {
        sub: randomUUID(),
        sid,
        name: 'Bác sĩ',
        role: 'requester',
        facility: { id: randomUUID(), name: 'Trạm Y tế xã' },
        moderator: false,
        kind: 'training',
        ...claims,
      },
      keys.privatePem,
      { algorithm: 'ES256', issuer: 'caunoi-api', audience: 'caunoi-sfu', expiresIn: 1800 },
    );
  const bots = [];
  try {
    const t0 = Date.now();
    const presenter = await MediaBot.join(url, token({ presenter: true, role: 'specialist' }));
    bots.push(presenter);
    await presenter.sendVideo('camera');
    await presenter.sendVideo('screen');
    const receivers = [];
    for (let i = 0; i < sites; i += 5) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(5, sites - i) }, () => MediaBot.join(url, token({}))),
      );
      receivers.push(...batch);
      bots.push(...batch);
    }
    const decodes = (b, peerId) =>
      [...b.videos.values()].some((v) => v.peerId === peerId && !v.closed && v.frames > 0);
    await waitUntil(
      () => receivers.every((b) => decodes(b, presenter.peerId)),
      90_000,
      'presenter decoded everywhere',
    );
    const joinedAllMs = Date.now() - t0;
    const speaker = receivers[0];
    await speaker.ask('raiseHand', { raised: true });
    await presenter.ask('grantFloor', { peerId: speaker.peerId });
    await speaker.sendVideo('camera');
    const listeners = receivers.filter((b) => b !== speaker);
    await waitUntil(
      () => listeners.every((b) => decodes(b, speaker.peerId)),
      90_000,
      'speaker decoded everywhere',
    );
    await sleep(2_000);

    const workerPid = await server.call('workerPid');
    const before = await server.call('receivers', { roomId: sid });
    const frames0 = listeners.map((b) => b.frameSnapshot());
    const cpu = cpuWindow({ sfuNode: server.child.pid, sfuWorker: workerPid });
    await sleep(windowMs);
    const used = cpu.stop();
    const after = await server.call('receivers', { roomId: sid });
    const seconds = used.wallSeconds;
    const kbps = listeners.map((b) =>
      round(((after[b.peerId].bytesSent - before[b.peerId].bytesSent) * 8) / seconds / 1000, 1),
    );
    const flowing = listeners.map((b, i) => b.flowingSince(frames0[i]));
    const fps = listeners.flatMap((b, i) =>
      b
        .flowingSince(frames0[i])
        .map((v) => (v.frames - (frames0[i].get(v.producerId) ?? 0)) / seconds),
    );
    const result = {
      sites,
      joinedAllSeconds: round(joinedAllMs / 1000, 1),
      windowSeconds: round(seconds, 1),
      sfuCpuPercent: round(used.sfuNode + used.sfuWorker, 1),
      sfuNodeCpuPercent: round(used.sfuNode, 1),
      sfuWorkerCpuPercent: round(used.sfuWorker, 1),
      machineBusyPercent: round(used.machine, 1),
      receiverKbps: {
        min: Math.min(...kbps),
        median: median(kbps),
        max: Math.max(...kbps),
        all: kbps,
      },
      videosDecodedPerReceiverMax: Math.max(...flowing.map((f) => f.length)),
      videosForwardedPerReceiverMax: Math.max(...listeners.map((b) => after[b.peerId].videos)),
      receivedFpsMedian: round(median(fps), 1),
    };
    log(
      `${sites} sites: SFU CPU ${result.sfuCpuPercent} % (worker ${result.sfuWorkerCpuPercent} %), receivers ${result.receiverKbps.min}–${result.receiverKbps.max} kbit/s (median ${result.receiverKbps.median}), ≤ ${result.videosDecodedPerReceiverMax} videos each`,
    );
    return result;
  } finally {
    for (const b of bots) b.close();
    await stopProcess(server.child);
  }
}

export async function run({ size, log, deadline }) {
  ensureBuilt(log);
  const S = SIZES[size];
  const MediaBot = (await loadBots()).MediaBot;
  const runs = [];
  for (const sites of S.sites) {
    if (Date.now() > deadline - 60_000) {
      log(`budget spent: ${sites} sites not measured`);
      break;
    }
    try {
      runs.push(await room(MediaBot, sites, S.windowMs, log));
    } catch (err) {
      log(`${sites} sites failed: ${err.message}`);
      runs.push({ sites, error: String(err.message ?? err) });
    }
  }
  const ok = runs.filter((r) => !r.error);
  const markdown = [
    'One presenter (320x240 camera + screen, synthetic video with a band of noise, 15 fps) and N',
    'receiving sites, each a Node WebRTC peer in the benchmark process (so the load generator shares',
    "the machine with the SFU). One site holds the floor: every other receiver gets the presenter's",
    'screen and the speaker (last-N = 2). SFU CPU = the Node process + the mediasoup worker, % of one',
    'core, over the window; kbit/s = what the SFU sent each receiver.',
    '',
    table([
      [
        'sites',
        'SFU CPU %',
        'worker %',
        'Node %',
        'kbit/s per receiver (min / median / max)',
        'videos per receiver (max)',
        'fps (median)',
        'all decoding after',
        'machine busy %',
      ],
      ...runs.map((r) =>
        r.error
          ? [r.sites, `failed: ${r.error}`]
          : [
              r.sites,
              r.sfuCpuPercent,
              r.sfuWorkerCpuPercent,
              r.sfuNodeCpuPercent,
              `${r.receiverKbps.min} / ${r.receiverKbps.median} / ${r.receiverKbps.max}`,
              r.videosDecodedPerReceiverMax,
              r.receivedFpsMedian,
              `${r.joinedAllSeconds} s`,
              r.machineBusyPercent,
            ],
      ),
    ]),
  ].join('\n');
  return {
    data: { runs, windowMs: S.windowMs },
    markdown,
    headline: ok.length
      ? ok
          .map(
            (r) =>
              `${r.sites} sites: SFU ${r.sfuCpuPercent} % CPU, ${r.receiverKbps.median} kbit/s per receiver`,
          )
          .join('; ')
      : 'did not complete',
  };
}
