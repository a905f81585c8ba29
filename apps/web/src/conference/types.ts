import type {
  JoinResponse,
  MediaSource,
  PeerInfo,
  SignallingRequestName,
  TrainingState,
} from '@caunoi/shared';
import type { LinkMode } from './link-policy';
import type { Quality } from './quality';

/** What the room's React side sees of the media plane (ConferenceClient snapshots). */

export type ConnectionState =
  'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface RemoteTrack {
  consumerId: string;
  producerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  track: MediaStreamTrack;
  paused: boolean;
  /** Paused to keep audio on a weak downlink, by this client or by the SFU's governor (shown by
   * name with "video paused to keep audio", never frozen). */
  heldForLink: boolean;
  /** Of those, paused by the SFU's governor (`videoHeld`): diagnostics and the benchmark. */
  heldBySfu?: boolean;
}

export interface RemotePeer extends PeerInfo {
  tracks: RemoteTrack[];
  quality: Quality;
  /** The SFU rates what this site sends as poor: its line is weak (everyone sees the mark). */
  weakLink: boolean;
}

export interface ConferenceSnapshot {
  state: ConnectionState;
  error: string | null;
  /** What failed (an ApiRequestError from the join call, or an ack error with a code), for a localized message. */
  failure?: unknown;
  selfPeerId: string | null;
  peers: RemotePeer[];
  activeSpeakerId: string | null;
  micOn: boolean;
  cameraOn: boolean;
  sharing: boolean;
  audioOnly: boolean;
  localStream: MediaStream | null;
  screenStream: MediaStream | null;
  /** What this site's downlink allows: all video, last-N at the lowest layer, or audio only. */
  linkMode: LinkMode;
  /** The camera is held back (lower layers or paused) because the uplink is weak. */
  uplinkLimited: boolean;
  /** The room is being recorded (told in the join answer and by `recordingState`). */
  recording: boolean;
  /** A training room's floor (who presents, who may speak, raised hands); null elsewhere. */
  training: TrainingState | null;
}

export interface ReceiverStat {
  consumerId: string;
  peerId: string;
  kind: string;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
  /** Seconds, as the browser reports it. */
  jitter?: number;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
  totalAudioEnergy?: number;
  /** Audio samples the decoder had to invent (loss concealment), and all samples received. */
  concealedSamples?: number;
  totalSamplesReceived?: number;
  /** Seconds the emitted samples or frames spent in the jitter buffer, and how many there were:
   * their ratio is the playout delay the buffer holds. */
  jitterBufferDelay?: number;
  jitterBufferEmittedCount?: number;
  /** NACKs this receiver sent: retransmissions asked for. */
  nackCount?: number;
  /** Audio packets that came too late to be played (the buffer had already concealed them). */
  packetsDiscarded?: number;
  /** Seconds of playout delay the buffer aimed at, summed per emitted sample or frame. */
  jitterBufferTargetDelay?: number;
}

/** What our own voice has sent (its outbound-rtp report): packets, and those resent on a NACK. */
export interface VoiceSendStat {
  packetsSent: number;
  retransmittedPacketsSent: number;
  nackCount: number;
}

export interface ConferenceOptions {
  getJoin: () => Promise<JoinResponse>;
  displayName: string;
  stream: MediaStream;
  audioOnly: boolean;
}

/** A signalling request of the client, acked by the SFU (rejected when not connected). */
export type SignalRequest = <T = unknown>(
  name: SignallingRequestName,
  data?: unknown,
) => Promise<T>;
