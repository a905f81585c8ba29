/** Camera and microphone access for the pre-join check. */
export interface DeviceChoice {
  cameraId?: string;
  micId?: string;
  audioOnly: boolean;
}

/**
 * Camera capture. 1280x720 (ideal) because Chromium only sends as many VP8 simulcast layers as the
 * capture size allows (docs/sfu.md: 640x480 gets 2 of 3); a camera that cannot do it gets the next
 * step down, and the encodings follow what was really captured (cameraEncodings).
 */
export const CAPTURE_STEPS = [
  { width: 1280, height: 720 },
  { width: 640, height: 360 },
] as const;

export function videoConstraints(
  step: (typeof CAPTURE_STEPS)[number],
  cameraId?: string,
): MediaTrackConstraints {
  return {
    width: { ideal: step.width },
    height: { ideal: step.height },
    frameRate: { ideal: 20, max: 30 },
    ...(cameraId ? { deviceId: { exact: cameraId } } : {}),
  };
}

/**
 * Opus as every site sends it. Each remote site's voice crosses a commune's downlink, so these
 * hold for all senders: in-band FEC (Chromium adapts it to the loss the receiver reports) and
 * DTX; 40 ms packets halve the packet rate, and with it the ~60 bytes of IP/UDP/RTP/SRTP header
 * per packet (≈ 24 → 12 kbit/s per stream); mono voice at up to 24 kbit/s. Together a remote
 * voice costs ≈ 35 kbit/s on the wire instead of ≈ 55, which at 128 kbit/s decides whether two
 * voices and any video fit. 40 ms adds 20 ms of delay, small beside a 3G round trip.
 */
export const MIC_CODEC_OPTIONS = {
  opusFec: true,
  opusDtx: true,
  opusStereo: false,
  opusPtime: 40,
  opusMaxAverageBitrate: 24_000,
  // Without it mediasoup-client strips NACK from Opus in the answer: the browser then keeps no
  // history of its sent voice, the SFU cannot ask for a lost packet again, and every packet a
  // commune's uplink loses is concealed at every other site (measured: 4–5 % at 5 % loss).
  opusNack: true,
} as const;

type GetUserMedia = (c: MediaStreamConstraints) => Promise<MediaStream>;

/** Errors after which a smaller capture may still work (the device, not the permission). */
function worthRetrying(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  return [
    'OverconstrainedError',
    'NotReadableError',
    'AbortError',
    'ConstraintNotSatisfiedError',
    'TrackStartError',
  ].includes(name);
}

export async function openLocalMedia(
  choice: DeviceChoice,
  getUserMedia: GetUserMedia = (c) => navigator.mediaDevices.getUserMedia(c),
): Promise<MediaStream> {
  const audio: MediaTrackConstraints = {
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
    ...(choice.micId ? { deviceId: { exact: choice.micId } } : {}),
  };
  if (choice.audioOnly) return getUserMedia({ audio, video: false });
  let last: unknown;
  for (const step of CAPTURE_STEPS) {
    try {
      return await getUserMedia({ audio, video: videoConstraints(step, choice.cameraId) });
    } catch (err) {
      last = err;
      if (!worthRetrying(err)) break;
    }
  }
  // No camera (or it is busy, or refused): still join with sound.
  try {
    return await getUserMedia({ audio, video: false });
  } catch {
    throw last;
  }
}

export interface CameraEncoding {
  rid?: string;
  scaleResolutionDownBy: number;
  maxBitrate: number;
}

/**
 * Simulcast layers for the captured height: three (¼, ½, full) from 540 lines up, two from 270,
 * else one. Asking for layers the capture cannot feed would leave them empty.
 *
 * The lowest layer is what a commune on 128–256 kbit/s receives, beside two or three voices of
 * ≈ 30 kbit/s each: at 64 kbit/s its half frame rate (temporal layers 0–1, ≈ 65 % of the bits)
 * costs ≈ 42 kbit/s, so the active speaker gets ≥ 10 frames/s where at 100 kbit/s it got the
 * base quarter (≈ 7 frames/s); and its key frames, which queue ahead of the voices on a thin
 * line, are smaller.
 */
export const LOWEST_LAYER_BPS = 64_000;

export function cameraEncodings(capturedHeight: number | undefined): CameraEncoding[] {
  const h = capturedHeight ?? 0;
  if (h >= 540 || !h) {
    return [
      { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: LOWEST_LAYER_BPS },
      { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 300_000 },
      { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 900_000 },
    ];
  }
  if (h >= 270) {
    return [
      { rid: 'r0', scaleResolutionDownBy: 2, maxBitrate: LOWEST_LAYER_BPS },
      { rid: 'r1', scaleResolutionDownBy: 1, maxBitrate: 400_000 },
    ];
  }
  return [{ scaleResolutionDownBy: 1, maxBitrate: 250_000 }];
}

export async function listDevices(): Promise<{
  cameras: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
}> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === 'videoinput'),
    mics: all.filter((d) => d.kind === 'audioinput'),
  };
}

export function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}
