import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import type { types } from 'mediasoup';

/**
 * ffmpeg as the recorder: RTP in (described by an SDP), the packets copied into a file without
 * re-encoding. ffmpeg 5 knows no `a=rtcp-mux`: it binds the RTP port and port + 1 for RTCP, and
 * reads the RTCP that mediasoup muxes onto the RTP port all the same (rtpdec tells them apart).
 */

/** The SDP of one consumer's stream, as ffmpeg reads it (one m= line, receive only). */
export function sdpFor(consumer: types.Consumer, port: number): string {
  const codec = consumer.rtpParameters.codecs[0]!;
  const [, name] = codec.mimeType.split('/');
  const channels = consumer.kind === 'audio' ? `/${codec.channels ?? 2}` : '';
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=caunoi-recorder',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${consumer.kind} ${port} RTP/AVP ${codec.payloadType}`,
    `a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${channels}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    'a=recvonly',
    '',
  ].join('\r\n');
}

/** The file a codec is copied into: WebM (browsers play it) for VP8/VP9/Opus, Matroska else. */
export function containerFor(mimeType: string): { ext: 'webm' | 'mkv'; mediaType: string } {
  const webm = /^(video\/(VP8|VP9|AV1)|audio\/opus)$/i.test(mimeType);
  const kind = mimeType.toLowerCase().startsWith('audio/') ? 'audio' : 'video';
  return webm
    ? { ext: 'webm', mediaType: `${kind}/webm` }
    : { ext: 'mkv', mediaType: `${kind}/x-matroska` };
}

function bind(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(null);
    });
    s.bind(port, '127.0.0.1', () => resolve(s));
  });
}

/**
 * Where the recorder's ports are drawn: below the kernel's ephemeral range (32768 and up on
 * Linux). A pair found free is released again before ffmpeg binds it; drawn from the ephemeral
 * range (port 0), it was sometimes handed meanwhile to a socket bound to port 0 — a browser's, an
 * HTTP client's — and ffmpeg failed with "bind failed: Address already in use".
 */
const RECORDER_PORTS = { from: 20_000, to: 32_766 } as const;

/** An even UDP port whose successor is free too (RTP + RTCP for ffmpeg), found by binding. */
export async function freeRtpPort(): Promise<number> {
  const pairs = (RECORDER_PORTS.to - RECORDER_PORTS.from) / 2;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = RECORDER_PORTS.from + 2 * Math.floor(Math.random() * pairs);
    const a = await bind(port);
    if (!a) continue;
    const b = await bind(port + 1);
    a.close();
    b?.close();
    if (b) return port;
  }
  throw new Error('no free UDP port pair for the recorder');
}

/** Resolves once some process (ffmpeg) holds the UDP port; false after the timeout. */
export async function waitForBound(port: number, timeoutMs = 5_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const s = await bind(port);
    if (!s) return true;
    s.close();
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/**
 * ffmpeg probes an RTP input until `-probesize` bytes or `-analyzeduration` of stream time; from
 * mediasoup the stream time does not advance while probing, so the size decides: small for
 * audio (the SDP says all), enough for video to meet a keyframe (its size is in it).
 */
const PROBE_BYTES = { audio: '32', video: '200000' } as const;

/**
 * ffmpeg ends its input after this long without a datagram (`-listen_timeout`, default 10 s): a
 * producer paused for longer would end the track. The recorder keeps the port busy with an RTCP
 * packet every KEEPALIVE_MS while recording (`rtcpKeepalive`), and at stop lets the timeout end
 * a read that waits for media that will not come, so the file is always finished cleanly.
 */
export const READ_TIMEOUT_S = 3;
export const KEEPALIVE_MS = 500;

/** An empty RTCP receiver report (V=2, PT=201, no blocks): wakes ffmpeg's read, ignored by it. */
export const RTCP_KEEPALIVE = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 0]);

export function recordRtp(
  ffmpegPath: string,
  kind: 'audio' | 'video',
  sdpPath: string,
  outPath: string,
): ChildProcess {
  return spawn(
    ffmpegPath,
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
      ...['-protocol_whitelist', 'file,udp,rtp', '-fflags', '+genpts'],
      ...['-analyzeduration', '1000000', '-probesize', PROBE_BYTES[kind]],
      ...['-listen_timeout', String(READ_TIMEOUT_S)],
      ...['-i', sdpPath, '-map', '0', '-c', 'copy', '-y', outPath],
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** Every track file in one Matroska file, each shifted by its start on the time line. */
export function muxTracks(
  ffmpegPath: string,
  tracks: Array<{ path: string; startOffset: number }>,
  outPath: string,
): Promise<void> {
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
  for (const t of tracks) args.push('-itsoffset', t.startOffset.toFixed(3), '-i', t.path);
  tracks.forEach((_, i) => args.push('-map', String(i)));
  args.push('-c', 'copy', outPath);
  return run(ffmpegPath, args);
}

export function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err.trim()}`)),
    );
  });
}
