import type { types } from 'mediasoup';

/**
 * Codecs every router offers. Opus with in-band FEC and DTX keeps audio alive on lossy 3G links;
 * VP8 first (simulcast works in every browser); H.264 (constrained baseline and baseline,
 * packetization-mode 1) for browsers and devices that prefer hardware H.264.
 * Payload types are derived deterministically, so all routers of a room share capabilities.
 * mediasoup lists Opus with `nack`: audio consumers are created with retransmission on (see
 * PeerMedia.consume), so a lost audio packet downstream can be resent, not only concealed.
 * `audio/red` (RFC 2198) is not offered: mediasoup 3.19.3 refuses it (see docs/sfu.md).
 */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    parameters: { useinbandfec: 1, usedtx: 1, minptime: 10 },
  },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 300 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
    },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '4d0032',
      'level-asymmetry-allowed': 1,
    },
  },
];

/**
 * Consumer priorities in the transport's bitrate distribution (1–255, higher first). mediasoup
 * leaves audio out of the distribution (audio is always forwarded); it is set highest anyway so
 * the intent holds if that changes. Among video, a shared document comes first, then the active
 * speaker's camera, then the other cameras: on a weak downlink the others drop to lower layers
 * (or pause) before the speaker and the document do.
 */
export const CONSUMER_PRIORITY = {
  audio: 255,
  screen: 40,
  speakerCamera: 20,
  camera: 1,
} as const;
