/**
 * Server-side recording with real Chromium peers, a real mediasoup worker and real ffmpeg: three
 * sites recorded for 30 s give one Matroska file with every track (checked with ffprobe and by
 * decoding it), and an ffmpeg killed with SIGKILL fails the recording but not the conference.
 * A stand-in for the API receives what the SFU delivers (the API side is tested in apps/api).
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sfuRecordingPath } from '@caunoi/shared';
import { startTestSfu } from './support/sfu';
import { createTokenIssuer } from './support/tokens';
import { connectBot, request } from './support/bot';
import { startBrowserHarness, type BrowserHarness, type PeerPage } from './support/browser';
import { waitFor } from './support/poll';
import { report } from './support/report';

const run = promisify(execFile);
const TOKEN = 'recording-service-token-0123456789';
const RECORD_MS = 30_000;

interface Delivered {
  files: Map<string, string>;
  results: Map<string, Record<string, any>>;
}

/** The API's two internal endpoints, writing what arrives into `dir`. */
async function standInApi(dir: string) {
  const got: Delivered = { files: new Map(), results: new Map() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end();
      const body = Buffer.concat(chunks);
      const m = /^\/api\/internal\/recordings\/([^/]+)\/(files\/(.+)|result)$/.exec(req.url!);
      if (!m) return res.writeHead(404).end();
      if (m[3]) {
        const file = path.join(dir, `${m[1]}-${m[3]}`);
        writeFileSync(file, body);
        got.files.set(`${m[1]}/${m[3]}`, file);
        const sha256 = createHash('sha256').update(body).digest('hex');
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ sha256, sizeBytes: body.length }));
      }
      got.results.set(m[1]!, JSON.parse(body.toString()));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function ffprobe(file: string, ...args: string[]) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-of', 'json', ...args, file]);
  return JSON.parse(stdout);
}

describe('recording a three-site room (Chromium peers, mediasoup, ffmpeg)', () => {
  const issuer = createTokenIssuer();
  const room = randomUUID();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caunoi-rec-test-'));
  let api: Awaited<ReturnType<typeof standInApi>>;
  let sfu: Awaited<ReturnType<typeof startTestSfu>>;
  let browsers: BrowserHarness;
  const peers: PeerPage[] = [];
  const sites = ['central', 'district', 'commune'];

  beforeAll(async () => {
    api = await standInApi(dir);
    sfu = await startTestSfu(issuer.publicPem, {
      API_URL: api.url,
      SFU_SERVICE_TOKEN: TOKEN,
      SFU_RECORDING_DIR: path.join(dir, 'sfu'),
    });
    browsers = await startBrowserHarness();
    for (const name of sites) {
      const peer = await browsers.newPeer(name);
      await peer.join({
        url: sfu.url,
        token: issuer.sign({ sid: room, name, facility: { id: null, name: `Site ${name}` } }),
        displayName: name,
      });
      peers.push(peer);
    }
    for (const peer of peers)
      await waitFor(
        async () => {
          const v = await peer.video();
          return v.length === 2 && v.every((s) => s.framesDecoded > 0);
        },
        {
          timeoutMs: 40_000,
          message: async () => `${peer.name}: ${JSON.stringify(await peer.stats())}`,
        },
      );
  });
  afterAll(async () => {
    await browsers?.close();
    await sfu?.close();
    await new Promise((r) => api?.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const command = (action: 'start' | 'stop', recordingId: string, sessionId = room) =>
    fetch(`${sfu.url}${sfuRecordingPath(sessionId, action)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ recordingId }),
    });
  const decodedNow = async () =>
    Object.fromEntries(
      await Promise.all(
        peers.map(async (p) => [p.name, (await p.video()).map((s) => s.framesDecoded)] as const),
      ),
    );
  async function stillDecoding(before: Record<string, number[]>) {
    for (const p of peers)
      await waitFor(
        async () => {
          const v = await p.video();
          return v.length === 2 && v.every((s, i) => s.framesDecoded > (before[p.name]![i] ?? 0));
        },
        { timeoutMs: 15_000, message: `${p.name} stopped decoding` },
      );
  }

  it('records 30 s into one file: every track, the duration, frames of each site, audible audio', async () => {
    const recordingId = randomUUID();
    expect((await command('start', recordingId, randomUUID())).status).toBe(404);
    const startedAt = Date.now();
    expect((await command('start', recordingId)).status).toBe(202);
    expect((await command('start', randomUUID())).status).toBe(409);
    // Everyone is told; a joiner is told in the join answer, before entering.
    for (const p of peers)
      await waitFor(async () =>
        (await p.events()).some((e) => e.event === 'recordingState' && e.data.recording),
      );
    const joiner = await connectBot(sfu.url, { token: issuer.sign({ sid: room }) });
    const caps = await request(joiner, 'getRouterRtpCapabilities');
    const joined = await request(joiner, 'join', { rtpCapabilities: caps.data });
    expect(joined.data.recording).toMatchObject({ recording: true });
    joiner.close();
    await waitFor(() => sfu.recorders.active.get(room)?.pids.length === 6, {
      message: 'six ffmpeg recorders',
    });
    // The room keeps forwarding while it is recorded; a microphone muted for longer than
    // ffmpeg's read timeout does not end its track.
    await stillDecoding(await decodedNow());
    await peers[1]!.setProducerPaused('mic', true);
    await new Promise((r) => setTimeout(r, 5_000));
    await peers[1]!.setProducerPaused('mic', false);
    expect(sfu.recorders.active.get(room)?.pids).toHaveLength(6);
    await new Promise((r) => setTimeout(r, startedAt + RECORD_MS - Date.now()));
    expect((await command('stop', recordingId)).status).toBe(202);
    const result = await waitFor(() => api.got.results.get(recordingId), {
      timeoutMs: 60_000,
      message: 'no result delivered',
    });
    expect(result).toMatchObject({ status: 'finished' });
    expect(result.tracks).toHaveLength(6);
    expect(new Set(result.tracks.map((t: any) => t.displayName))).toEqual(new Set(sites));
    expect(result.tracks.map((t: any) => t.site)).toContain('Site district');

    const file = api.got.files.get(`${recordingId}/session.mkv`)!;
    const probe = await ffprobe(file, '-show_streams', '-show_format');
    const streams = probe.streams as Array<{ codec_type: string; codec_name: string }>;
    expect(streams.filter((s) => s.codec_type === 'video').map((s) => s.codec_name)).toEqual([
      'vp8',
      'vp8',
      'vp8',
    ]);
    expect(streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name)).toEqual([
      'opus',
      'opus',
      'opus',
    ]);
    const duration = Number(probe.format.duration);
    expect(Math.abs(duration - RECORD_MS / 1000)).toBeLessThan(2);
    const frames: number[] = [];
    const volumes: number[] = [];
    for (const [i, s] of streams.entries()) {
      if (s.codec_type === 'video') {
        const counted = await ffprobe(
          file,
          '-select_streams',
          String(i),
          '-count_frames',
          '-show_entries',
          'stream=nb_read_frames',
        );
        frames.push(Number(counted.streams[0].nb_read_frames));
      } else {
        const { stderr } = await run('ffmpeg', [
          '-hide_banner',
          '-nostats',
          '-i',
          file,
          '-map',
          `0:${i}`,
          '-af',
          'volumedetect',
          '-f',
          'null',
          '-',
        ]);
        volumes.push(Number(/max_volume: (-?[\d.]+) dB/.exec(stderr)![1]));
      }
    }
    report('recording: 30 s of three sites', {
      duration,
      frames,
      maxVolumeDb: volumes,
      sizeBytes: result.file.sizeBytes,
      offsets: result.tracks.map((t: any) => [t.index, t.kind, t.startOffset, t.endOffset]),
    });
    // Frames from each site's camera (15–30 fps for 30 s), and audio well above silence (-91 dB).
    for (const n of frames) expect(n).toBeGreaterThan(150);
    for (const v of volumes) expect(v).toBeGreaterThan(-50);
    for (const t of result.tracks)
      expect(api.got.files.get(`${recordingId}/${t.fileName}`)).toBeDefined();
    await waitFor(() => !sfu.recorders.active.has(room));
  });

  it('an ffmpeg killed with SIGKILL fails the recording, reported; the conference goes on', async () => {
    const recordingId = randomUUID();
    expect((await command('start', recordingId)).status).toBe(202);
    const pids = await waitFor(() => {
      const p = sfu.recorders.active.get(room)?.pids;
      return p?.length === 6 && p;
    });
    const eventsBefore = (await peers[0]!.events()).length;
    process.kill(pids[2]!, 'SIGKILL');
    const result = await waitFor(() => api.got.results.get(recordingId), {
      timeoutMs: 20_000,
      message: 'no failure reported',
    });
    expect(result).toMatchObject({ status: 'failed' });
    expect(result.reason).toMatch(/ffmpeg of track 2 exited/);
    // Every other ffmpeg of the recording is gone too; the room's state says it is not recorded.
    for (const pid of pids) await waitFor(() => !alive(pid), { message: `ffmpeg ${pid} left` });
    await waitFor(async () =>
      (await peers[0]!.events())
        .slice(eventsBefore)
        .some((e) => e.event === 'recordingState' && e.data.recording === false),
    );
    expect(sfu.rooms.get(room)!.recording).toEqual({ recording: false });
    await stillDecoding(await decodedNow());
    expect(sfu.rooms.get(room)!.stats()).toMatchObject({ peers: 3, producers: 6, consumers: 12 });
    // A new recording can start after the failed one.
    const next = randomUUID();
    expect((await command('start', next)).status).toBe(202);
    expect((await command('stop', next)).status).toBe(202);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
