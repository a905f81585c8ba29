import type { types } from 'mediasoup';
import { SfuError } from '../errors';
import { START_BITRATE_SHARE, turnIceServer, WEAK_LINK_START_BITRATE } from '@caunoi/shared';
import type { IceServer, TurnConfig } from '../config/config';
import type { WorkerPool } from './worker-pool';

export type TransportDirection = 'send' | 'recv';

/** The lowest start a client may ask for: under it the first key frame alone takes seconds. */
export const MIN_ASKED_START_BITRATE = 50_000;

/** What a client says of its line at join: weak, and what its last session received. */
export interface StartHint {
  weakLink?: boolean;
  /** bit/s: ~70 % of what its last session on this line received (`join {startBitrate}`). */
  startBitrate?: number;
  /** ms: its line's round trip before the media (`join {lineRttMs}`). */
  lineRttMs?: number;
}

/**
 * Where the send estimate towards a peer starts: the configured start, lowered (never raised —
 * a client cannot ask for more than the operator allows) to 150 kbit/s on a weak line and to
 * what the client measured of it last time. 150 kbit/s still overfills a 128 kbit/s line.
 */
export function initialOutgoingBitrateFor(configured: number, hint: StartHint = {}): number {
  let start = configured;
  if (hint.weakLink) start = Math.min(start, WEAK_LINK_START_BITRATE);
  if (hint.startBitrate)
    start = Math.min(start, Math.max(MIN_ASKED_START_BITRATE, Math.round(hint.startBitrate)));
  return start;
}

/** mediasoup refuses a maximum outgoing bitrate under this (its congestion controller's floor). */
const MEDIASOUP_MIN_OUTGOING_BITRATE = 30_000;

/**
 * The most mediasoup may estimate towards a peer: the operator's maximum, and what the peer's
 * line is known to carry. Measured on 256k: from its start at 150 kbit/s the estimate overshot
 * to 370 kbit/s within seconds, filled the line's queue and crashed to 90 kbit/s, where the
 * random loss then held it. 0: no ceiling.
 */
export function outgoingCeilingFor(configured: number | undefined, carriedBps?: number): number {
  const max = Math.min(configured || Infinity, carriedBps ?? Infinity);
  return Number.isFinite(max) ? Math.max(MEDIASOUP_MIN_OUTGOING_BITRATE, Math.round(max)) : 0;
}

/** What a receive transport keeps of its peer's line, for the governor (in its appData). */
export interface ReceivingLineFacts {
  /** The operator's maximum: the governor never counts on more (mediasoup's estimate may). */
  maxOutgoingBitrate?: number;
  /** bit/s the peer's line is known to carry: the governor counts on at most 80 % of it. */
  carriedBps?: number;
  /** ms: its round trip without a queue; the floor judges a queue against it. */
  lineRttMs?: number;
}

/** The facts a transport towards a peer keeps of its line; a send transport keeps none. */
export function receivingLineFacts(
  direction: TransportDirection,
  start: StartHint | undefined,
  operatorMaxBps: number | undefined,
): ReceivingLineFacts {
  if (direction !== 'recv') return {};
  return {
    ...(operatorMaxBps ? { maxOutgoingBitrate: operatorMaxBps } : {}),
    ...(start?.startBitrate
      ? { carriedBps: Math.round(start.startBitrate / START_BITRATE_SHARE) }
      : {}),
    ...(start?.lineRttMs ? { lineRttMs: start.lineRttMs } : {}),
  };
}

export interface TransportFactoryOptions {
  maxIncomingBitrate: number;
  maxOutgoingBitrate?: number;
  initialOutgoingBitrate: number;
  iceServers: IceServer[];
  /** TURN servers a peer gets time-limited credentials for (TURN REST API). */
  turn?: TurnConfig | null;
}

export interface PlainTransportOptions {
  direction: TransportDirection;
  /** Where a `recv` transport sends (an RTP sink, a recorder). A `send` transport learns its
   * remote address from the first packet it receives (comedia). */
  remote?: { ip: string; port: number };
  /** Address to bind; server-side consumers (benchmarks, recorders) run on this machine. */
  listenIp?: string;
}

/**
 * Makes every transport a peer can own: WebRTC transports on the worker's WebRtcServer (the
 * shared UDP/TCP port of that worker) with the configured bitrates, and plain RTP transports for
 * server-side endpoints (benchmark load generators, a recorder) that speak RTP without ICE/DTLS.
 */
export class TransportFactory {
  constructor(
    private readonly pool: WorkerPool,
    private readonly opts: TransportFactoryOptions,
  ) {}

  /** The configured servers plus a TURN entry with credentials of this user, valid for the TTL. */
  async iceServersFor(userId: string): Promise<IceServer[]> {
    const turn = this.opts.turn;
    if (!turn) return this.opts.iceServers;
    const expiresAt = Date.now() / 1000 + turn.ttlSeconds;
    return [...this.opts.iceServers, await turnIceServer(turn, userId, expiresAt)];
  }

  async webRtc(
    router: types.Router,
    o: {
      direction: TransportDirection;
      forceTcp: boolean;
      appData: Record<string, unknown>;
      start?: StartHint;
    },
  ): Promise<types.WebRtcTransport> {
    const slot = this.pool.slotOf(router);
    if (!slot) throw new SfuError('internal', 'router not found');
    const initialOutgoingBitrate = initialOutgoingBitrateFor(
      this.opts.initialOutgoingBitrate,
      o.start,
    );
    const line = receivingLineFacts(o.direction, o.start, this.opts.maxOutgoingBitrate);
    const transport = await router.createWebRtcTransport({
      webRtcServer: slot.webRtcServer,
      enableUdp: !o.forceTcp,
      enableTcp: true,
      preferUdp: !o.forceTcp,
      initialAvailableOutgoingBitrate: initialOutgoingBitrate,
      // Kept for diagnosis (mediasoup reports the estimate only once the transport is up).
      appData: {
        ...o.appData,
        initialOutgoingBitrate,
        ...line,
      },
    });
    await this.applyBitrates(transport, o.direction, line.carriedBps);
    return transport;
  }

  async plain(
    router: types.Router,
    o: PlainTransportOptions & { appData: Record<string, unknown> },
  ): Promise<types.PlainTransport> {
    const transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: o.listenIp ?? '127.0.0.1' },
      rtcpMux: true,
      comedia: o.direction === 'send',
      appData: o.appData,
    });
    try {
      if (o.remote) await transport.connect({ ip: o.remote.ip, port: o.remote.port });
    } catch (err) {
      transport.close();
      throw err;
    }
    return transport;
  }

  private async applyBitrates(
    transport: types.Transport,
    direction: TransportDirection,
    carriedBps: number | undefined,
  ) {
    // A failure here leaves the transport usable with mediasoup's defaults.
    if (direction === 'send') {
      await transport.setMaxIncomingBitrate(this.opts.maxIncomingBitrate).catch(() => undefined);
      return;
    }
    const max = outgoingCeilingFor(this.opts.maxOutgoingBitrate, carriedBps);
    if (max) await transport.setMaxOutgoingBitrate(max).catch(() => undefined);
  }
}
