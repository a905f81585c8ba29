import { z } from 'zod';
import { text } from './text';

/**
 * SFU signalling contract (SPEC "SFU signalling contract"): socket.io at `sfuUrl` with
 * `auth: { token }`; each request is emitted with an ack answering Ack<T>.
 * mediasoup's own parameter objects are validated for shape only (object, bounded size);
 * mediasoup validates their content.
 */
const mediasoupObject = z.record(z.string(), z.unknown());
const id = text().min(1).max(100);

/** `join {startBitrate}` is this share of what the line carried in the client's last weak
 * session (the margin for the loss, the voices' bursts and a line a little worse today). */
export const START_BITRATE_SHARE = 0.7;

/**
 * Where the SFU starts its send estimate for a peer that says its line is weak (`join
 * {weakLink}`), bit/s: a 128–256 kbit/s downlink filled at the usual 300 kbit/s overflows its
 * queue in the first seconds, and the loss that follows pins the estimate down for long after.
 * Two voices (≈ 70 kbit/s on the wire) and the lowest video layer fit in this.
 */
export const WEAK_LINK_START_BITRATE = 150_000;

/** The bounds of `join {lineRttMs}`, ms (plain numbers: the web client clamps its measure to
 * them without loading zod). */
export const LINE_RTT_MS = { min: 1, max: 10_000 } as const;

export const MEDIA_SOURCES = ['mic', 'camera', 'screen'] as const;
export const MediaSourceSchema = z.enum(MEDIA_SOURCES);
export type MediaSource = z.infer<typeof MediaSourceSchema>;

/** The hash functions a DTLS fingerprint may name (a plain list: the web client reads it
 * without loading zod). */
export const DTLS_FINGERPRINT_ALGORITHMS = [
  'sha-1',
  'sha-224',
  'sha-256',
  'sha-384',
  'sha-512',
] as const;

/**
 * A certificate fingerprint as in SDP's `a=fingerprint` (RFC 8122): hex pairs and colons, in
 * any case; parsed to capitals, the form mediasoup compares against (Chromium gives lower case).
 */
export const DtlsFingerprintSchema = z
  .object({
    algorithm: z.enum(DTLS_FINGERPRINT_ALGORITHMS),
    value: z
      .string()
      .regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){19,63}$/, 'hex pairs separated by colons')
      .transform((v) => v.toUpperCase()),
  })
  .strict();
export type DtlsFingerprint = z.infer<typeof DtlsFingerprintSchema>;

export const SignallingRequestSchemas = {
  getRouterRtpCapabilities: z.object({}).optional(),
  join: z.object({
    displayName: text().trim().max(100).optional(),
    // A peer without codecs would be admitted yet could never consume anything: refuse it.
    rtpCapabilities: z
      .object({
        codecs: z
          .array(mediasoupObject)
          .min(1, 'rtpCapabilities.codecs must list at least one codec')
          .max(200),
      })
      .catchall(z.unknown()),
    /**
     * One-trip join (all optional; a client that sends none gets the classic answer): the SFU
     * also opens these transports (answered in `transports`), and with `consume` creates on the
     * new receive transport a consumer for every producer already in the room (answered in
     * `consumers`): audio already flowing (resume nothing), video paused until `resumeConsumer`.
     * On a 300–800 ms line each request saved is that much sooner the first voice.
     */
    transports: z
      .object({ send: z.boolean().optional(), recv: z.boolean().optional() })
      .strict()
      .optional(),
    consume: z.boolean().optional(),
    /** TCP candidates only for the transports opened here (as `createTransport {forceTcp}`). */
    forceTcp: z.boolean().optional(),
    /** The client knows its line to be weak (its last session's verdict, or the browser's own
     * network estimate): the SFU starts the estimate of the transports opened for it low,
     * instead of overfilling the line (a 5 % lossy line never lets it climb back). */
    weakLink: z.boolean().optional(),
    /** bit/s the client measured its line to carry in its last session, less a margin
     * (START_BITRATE_SHARE of it): the SFU starts its estimate there when that is lower than its
     * own start (never higher), and never lifts its estimate past what was carried. */
    startBitrate: z.number().int().min(1_000).max(100_000_000).optional(),
    /** ms: the round trip of the client's line before any media crossed it (the web client: the
     * median of its API requests, request → first byte). The SFU takes it as the line's round
     * trip without a queue, against which its floor under the estimate judges a queue: the
     * round trips it measures itself begin when the first key frames already queue. */
    lineRttMs: z.number().int().min(LINE_RTT_MS.min).max(LINE_RTT_MS.max).optional(),
    /**
     * The fingerprints of the DTLS certificate the client will use for the transports opened
     * here (made ahead: `RTCPeerConnection.generateCertificate`, given to their
     * RTCPeerConnections). The SFU then connects those transports itself (the client is the
     * DTLS client) and answers `dtlsConnected` on each: the client sends no `connectTransport`
     * for them, and no DTLS flight of the browser's can arrive before the SFU knows whom to
     * expect (a ClientHello ahead of a late `connectTransport` is dropped, and its
     * retransmission costs up to a second on a lossy line).
     */
    dtlsFingerprints: z.array(DtlsFingerprintSchema).min(1).max(5).optional(),
  }),
  createTransport: z.object({
    direction: z.enum(['send', 'recv']),
    /** Commune stations behind strict firewalls may ask for TCP only. */
    forceTcp: z.boolean().optional(),
  }),
  connectTransport: z.object({ transportId: id, dtlsParameters: mediasoupObject }),
  restartIce: z.object({ transportId: id }),
  produce: z.object({
    transportId: id,
    kind: z.enum(['audio', 'video']),
    rtpParameters: mediasoupObject,
    appData: z.object({ source: MediaSourceSchema }).catchall(z.unknown()),
  }),
  closeProducer: z.object({ producerId: id }),
  pauseProducer: z.object({ producerId: id }),
  resumeProducer: z.object({ producerId: id }),
  consume: z.object({ transportId: id, producerId: id, rtpCapabilities: mediasoupObject }),
  resumeConsumer: z.object({ consumerId: id }),
  pauseConsumer: z.object({ consumerId: id }),
  setPreferredLayers: z.object({
    consumerId: id,
    spatialLayer: z.number().int().min(0).max(3),
    temporalLayer: z.number().int().min(0).max(3).optional(),
  }),
  /** Audio-only mode: stop receiving video without leaving the room. */
  setAudioOnly: z.object({ enabled: z.boolean() }),
  leave: z.object({}).optional(),
  /**
   * After a socket reconnect: what the SFU still holds for this peer, so a client whose
   * transports are alive keeps them instead of rebuilding (see ResumeResult).
   */
  resume: z.object({}).optional(),
  /** Training room: a site asks for the floor (or lowers its hand). */
  raiseHand: z.object({ raised: z.boolean() }),
  /** Training room, presenter or moderator: give that site the floor (it may then send audio and
   * video); the previous holder loses it. */
  grantFloor: z.object({ peerId: id }),
  /** Training room, presenter or moderator (or the holder itself): take the floor back; the
   * holder's microphone and camera producers are closed. */
  revokeFloor: z.object({ peerId: id.optional() }).optional(),
} as const;

export type SignallingRequestName = keyof typeof SignallingRequestSchemas;
export type SignallingRequest<N extends SignallingRequestName> = z.infer<
  (typeof SignallingRequestSchemas)[N]
>;

export interface PeerInfo {
  id: string;
  userId: string;
  displayName: string;
  facility: { id: string | null; name: string };
  /** Training room: this peer presents. */
  presenter?: boolean;
}
export interface ProducerInfo {
  id: string;
  peerId: string;
  kind: 'audio' | 'video';
  appData: { source: MediaSource; [k: string]: unknown };
  paused?: boolean;
}
/**
 * The floor of a training room, sent to everyone in `trainingState` whenever it changes (and in
 * the join answer): who presents, who holds the floor, whose hands are up (in order), how many
 * are in the room.
 */
export interface TrainingState {
  presenterPeerId: string | null;
  floorPeerId: string | null;
  hands: Array<{ peerId: string; raisedAt: string }>;
  participants: number;
  /** Videos forwarded to each receiver at most (last-N). */
  maxVideos: number;
}

export interface JoinResult {
  /** Only in a training room. */
  training?: TrainingState;
  peers: PeerInfo[];
  producers: ProducerInfo[];
  /** This peer's id: pass it back as `auth.peerId` when reconnecting to resume the same peer. */
  peerId?: string;
  /** True when the peer already existed (reconnect within the grace period, or a rejoin). */
  resumed?: boolean;
  /** Whether the room is being recorded, so a joiner is told before entering. */
  recording?: { recording: boolean; since?: string };
  /** One-trip join: the transports asked for in `join.transports`. */
  transports?: { send?: TransportInfo; recv?: TransportInfo };
  /** One-trip join with `consume`: a consumer per producer listed in `producers` (those that
   * could be consumed), on `transports.recv`. `paused` false: already flowing (audio). */
  consumers?: Array<ConsumerInfo & { paused: boolean }>;
}

/**
 * socket.io handshake `auth` of the SFU. `sessionId`, when given, must equal the token's `sid`
 * (a token for another session is refused). `peerId` resumes that peer within the reconnect
 * grace period (an expired token is accepted only to resume the peer that very token admitted).
 */
export interface SignallingAuth {
  token: string;
  sessionId?: string;
  peerId?: string;
  /** Ask the SFU to send `routerRtpCapabilities` right after connecting (no request needed):
   * a client without a loaded Device saves the `getRouterRtpCapabilities` round trip. */
  capabilities?: boolean;
  /** The join itself (HandshakeJoinSchema), answered with the event `joined`. */
  join?: HandshakeJoin;
}

/** Payload of the `rejoin` event: the client drops its transports and runs the join flow again
 * (same socket, same peer id): `media_server_restarted` after a worker died, `peer_expired` after
 * a reconnect that came too late, `missed_events` when too many events were missed while away. */
export interface RejoinEvent {
  reason: 'media_server_restarted' | 'peer_expired' | 'missed_events';
}
export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  iceServers?: unknown[];
  /** The SFU connected this transport with the fingerprints the join gave
   * (`join {dtlsFingerprints}`): the client sends no `connectTransport` for it. */
  dtlsConnected?: boolean;
}
export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
  peerId?: string;
  appData?: Record<string, unknown>;
}

/** Answer to `resume`: the peer's media as the SFU holds it. `media` is false when there is
 * nothing to keep (never joined, or dropped after a media restart): run the join flow. */
export interface ResumeResult {
  peerId: string;
  media: boolean;
  transports: Array<{
    id: string;
    direction: 'send' | 'recv';
    iceState: string;
    dtlsState: string;
  }>;
  producers: Array<{ id: string; kind: 'audio' | 'video'; source: MediaSource; paused: boolean }>;
  consumers: Array<{
    id: string;
    producerId: string;
    peerId: string;
    kind: 'audio' | 'video';
    paused: boolean;
  }>;
}

/** Payload of `videoHeld`. */
export interface VideoHeldEvent {
  consumerId: string;
  producerId: string;
  held: boolean;
}

/** Payload of `peerReplaced`: the same user connected again (another tab or device, or a phone
 * that reconnected before this socket was seen to drop); this socket is closed after the event. */
export interface PeerReplacedEvent {
  peerId: string;
}

/**
 * A short name of the router's capabilities (FNV-1a, 32 bit, hex, over their JSON as the SFU
 * sends them): a client that kept the capabilities of its last join names them by it in
 * `auth.join`, and the SFU takes that join only while they are still its router's.
 */
export function capabilitiesDigest(caps: unknown): string {
  const json = JSON.stringify(caps) ?? '';
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    h ^= json.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * `auth.join` in the handshake: the `join` request itself, made with a Device loaded from the
 * router capabilities the client kept (`routerCapabilities`: their capabilitiesDigest). The SFU
 * answers it with the event `joined` (an Ack of the join answer) right after the connection —
 * the join's own round trip saved. When the digest is not its router's any more it sends
 * `routerRtpCapabilities` instead and the client joins the usual way.
 */
export const HandshakeJoinSchema = z.object({
  routerCapabilities: z.string().regex(/^[0-9a-f]{8}$/, 'routerCapabilities must be a digest'),
  request: SignallingRequestSchemas.join,
});
export type HandshakeJoin = z.infer<typeof HandshakeJoinSchema>;

/** Server → client events. */
export const SIGNALLING_EVENTS = [
  'peerJoined',
  'peerLeft',
  'newProducer',
  'producerClosed',
  'producerPaused',
  'producerResumed',
  'consumerClosed',
  'activeSpeaker',
  'consumerLayersChanged',
  'score',
  'rejoin',
  'peerReplaced',
  'sessionEnded',
  'recordingState',
  /** Training room: the floor changed (TrainingState). */
  'trainingState',
  /** The router's RTP capabilities, sent once after connecting when `auth.capabilities`. */
  'routerRtpCapabilities',
  /** The answer (an Ack of `join`'s) to a join carried in the handshake (`auth.join`). */
  'joined',
  /** The SFU paused (`held: true`) or released one of our videos to keep our audio within the
   * line's estimate (VideoHeldEvent): show "video paused to keep audio", never a frozen tile. */
  'videoHeld',
] as const;
export type SignallingEventName = (typeof SIGNALLING_EVENTS)[number];

/** Limits a bot or app should expect; the SFU answers `limit_exceeded` / `rate_limited` past them. */
export const SIGNALLING_LIMITS = {
  maxMessageBytes: 64 * 1024,
  maxProducersPerPeer: 4,
  messagesPerSecond: 50,
} as const;
