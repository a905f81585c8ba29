import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  SIGNALLING_LIMITS,
  SignallingRequestSchemas,
  type Ack,
  type AckErrorCode,
  type SignallingRequest,
  type SignallingRequestName,
} from '@caunoi/shared';
import { SfuError } from '../errors';
import type { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import type { RoomManager } from '../rooms/room-manager';
import { floorOf } from '../rooms/training-floor';
import { joinInOneTrip } from '../rooms/one-trip-join';
import type { SfuMetrics } from '../metrics/metrics';
import {
  admissionMiddleware,
  attachPeer,
  readmit,
  type AdmissionDeps,
  type SocketState,
} from './admission';

export interface SignallingOptions {
  publicKey: string;
  reconnectGraceMs: number;
  /** Sustained requests per second per socket, and the burst allowed above it. */
  messagesPerSecond?: number;
  burst?: number;
  maxMessageBytes?: number;
}

/**
 * Heartbeat. The server pings every 5 s and drops a socket whose pong is more than 20 s late;
 * the client (told both values in the handshake) gives up 25 s after the last ping. A link that
 * goes dark for ~10 s keeps its socket: TCP holds the ping and the pong and delivers them within
 * a few seconds of the link's return (after 10 s of silence its retransmission backoff is a few
 * seconds), well inside 20 s, so media that survived the outage is not torn down by a signalling
 * reconnect. A client that is really gone is noticed within 25 s and then waits in the reconnect
 * grace period like any dropped socket. (Before: 10 s / 8 s, which cut sockets after 8 s.)
 */
export const SIGNALLING_HEARTBEAT = { pingIntervalMs: 5_000, pingTimeoutMs: 20_000 } as const;

/** Signalling messages from this size on are compressed (permessage-deflate). */
export const SIGNALLING_COMPRESS_FROM_BYTES = 1024;

type Handler<N extends SignallingRequestName> = (
  ctx: { room: Room; peer: Peer; socket: Socket },
  data: SignallingRequest<N>,
) => Promise<unknown> | unknown;
type Handlers = { [N in SignallingRequestName]: Handler<N> };

const handlers: Handlers = {
  getRouterRtpCapabilities: async ({ room }) => (await room.primaryRouter()).rtpCapabilities,
  // `displayName` is accepted for compatibility and ignored: names come from the join token.
  join: async ({ room, peer, socket }, d) => {
    const answer = await joinInOneTrip(room, peer, d);
    // The speaker event comes only on a change: a site joining while someone speaks would not
    // know who it is (nor follow their camera first) until the next change.
    const speaker = room.activeSpeaker();
    if (speaker) setImmediate(() => socket.emit('activeSpeaker', speaker));
    return answer;
  },
  createTransport: ({ room, peer }, d) =>
    room.createTransport(peer, d.direction, d.forceTcp ?? false),
  connectTransport: async ({ room, peer }, d) => {
    await room
      .media(peer)
      .connectTransport(d.transportId, d.dtlsParameters as unknown as types.DtlsParameters);
    return {};
  },
  restartIce: ({ room, peer }, d) => room.media(peer).restartIce(d.transportId),
  produce: ({ room, peer }, d) =>
    room.produce(
      peer,
      d.transportId,
      d.kind,
      d.rtpParameters as unknown as types.RtpParameters,
      d.appData.source,
    ),
  closeProducer: ({ room, peer }, d) => {
    room.closeProducer(peer, d.producerId);
    return {};
  },
  pauseProducer: async ({ room, peer }, d) => {
    await room.pauseProducer(peer, d.producerId);
    return {};
  },
  resumeProducer: async ({ room, peer }, d) => {
    await room.resumeProducer(peer, d.producerId);
    return {};
  },
  consume: ({ room, peer }, d) =>
    room.consume(peer, d.transportId, d.producerId, d.rtpCapabilities as types.RtpCapabilities),
  // In audio-only mode video stays paused; it resumes when the mode is switched off.
  resumeConsumer: ({ room, peer }, d) =>
    room.media(peer).resumeConsumer(d.consumerId, peer.audioOnly),
  pauseConsumer: async ({ room, peer }, d) => {
    await room.media(peer).pauseConsumer(d.consumerId);
    return {};
  },
  setPreferredLayers: async ({ room, peer }, d) => {
    await room.media(peer).setPreferredLayers(d.consumerId, d.spatialLayer, d.temporalLayer);
    return {};
  },
  setAudioOnly: ({ room, peer }, d) => room.setAudioOnly(peer, d.enabled),
  resume: ({ peer }) => peer.resumeInfo(),
  raiseHand: ({ room, peer }, d) => floorOf(room).raiseHand(peer, d.raised),
  grantFloor: ({ room, peer }, d) => floorOf(room).grant(peer, d.peerId),
  revokeFloor: ({ room, peer }, d) => floorOf(room).revoke(peer, d?.peerId),
  leave: ({ room, peer }) => {
    room.removePeer(peer, 'left');
    return {};
  },
};

function isRequestName(event: string): event is SignallingRequestName {
  return Object.prototype.hasOwnProperty.call(SignallingRequestSchemas, event);
}

function byteSize(value: unknown): number {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? 0 : Buffer.byteLength(json);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function errorAck(code: AckErrorCode, message: string): Ack<never> {
  return { ok: false, error: { code, message } };
}

/** Map anything thrown by a handler to an ack: expected errors keep their code, mediasoup's
 * validation errors (TypeError, UnsupportedError) become invalid_message, the rest internal. */
function toErrorAck(err: unknown, log: Logger, event: string): Ack<never> {
  if (err instanceof SfuError) return errorAck(err.code, err.message);
  const e = err as Error;
  if (e instanceof TypeError || e?.name === 'UnsupportedError' || e?.name === 'TypeError') {
    return errorAck('invalid_message', e.message.slice(0, 300));
  }
  if (e?.name === 'InvalidStateError') return errorAck('conflict', e.message.slice(0, 300));
  log.error({ event, err: e?.message, stack: e?.stack }, 'signalling request failed');
  return errorAck('internal', 'internal error');
}

/**
 * socket.io signalling (the contract in docs/sfu.md). Admission: `auth: { token }` (the API's
 * ES256 join token; its `sid` is the room), optionally `sessionId` (must equal `sid`) and
 * `peerId` (resume that peer after a reconnect). Every request is rate-limited, size-checked and
 * validated with the shared schemas before it reaches a Room; every failure is an error ack.
 */
export function attachSignalling(
  httpServer: HttpServer,
  rooms: RoomManager,
  opts: SignallingOptions,
  metrics: SfuMetrics,
  log: Logger,
): Server {
  const maxMessageBytes = opts.maxMessageBytes ?? SIGNALLING_LIMITS.maxMessageBytes;
  const rate = opts.messagesPerSecond ?? SIGNALLING_LIMITS.messagesPerSecond;
  const burst = opts.burst ?? rate * 2;
  const io = new Server(httpServer, {
    cors: { origin: '*' },
    // Larger than our own per-message limit so an oversized request gets an error ack instead of
    // a dropped connection; above this engine.io closes the connection.
    maxHttpBufferSize: Math.max(1_000_000, maxMessageBytes * 4),
    pingInterval: SIGNALLING_HEARTBEAT.pingIntervalMs,
    pingTimeout: SIGNALLING_HEARTBEAT.pingTimeoutMs,
    // Compressed when the client offers it (every browser does): the router's capabilities and
    // the one-trip join's answer are several kB of JSON, which on a 256 kbit/s line are tenths of
    // a second of the join; small messages (acks, events) are sent as they are.
    perMessageDeflate: { threshold: SIGNALLING_COMPRESS_FROM_BYTES },
  });

  const deps: AdmissionDeps = { rooms, publicKey: opts.publicKey, metrics, log, rate, burst };
  io.use(admissionMiddleware(deps));

  io.on('connection', (socket) => {
    const state = socket.data as SocketState;
    try {
      attachPeer(socket, state, deps);
    } catch {
      // The session ended between the handshake and now.
      socket.disconnect(true);
      return;
    }
    // A client without a loaded Device asks for the router's capabilities in the handshake:
    // they follow the connection at once instead of costing a request of their own.
    if ((socket.handshake.auth as { capabilities?: unknown } | undefined)?.capabilities === true)
      void state
        .room!.primaryRouter()
        .then((router) => socket.emit('routerRtpCapabilities', router.rtpCapabilities))
        .catch(() => undefined);

    const reply = (
      ack: ((r: unknown) => void) | undefined,
      event: string,
      response: Ack<unknown>,
    ) => {
      metrics.requests.inc({
        request: isRequestName(event) ? event : 'unknown',
        result: response.ok ? 'ok' : response.error.code,
      });
      if (ack) ack(response);
    };

    socket.onAny((event: string, ...args: unknown[]) => {
      const ack =
        typeof args[args.length - 1] === 'function'
          ? (args.pop() as (r: unknown) => void)
          : undefined;
      if (!state.bucket.take())
        return reply(ack, event, errorAck('rate_limited', `more than ${rate} requests per second`));
      if (byteSize(args) > maxMessageBytes)
        return reply(
          ack,
          event,
          errorAck('limit_exceeded', `message larger than ${maxMessageBytes} bytes`),
        );
      if (typeof event !== 'string' || !isRequestName(event))
        return reply(
          ack,
          String(event),
          errorAck('invalid_message', `unknown request "${String(event).slice(0, 50)}"`),
        );
      if (args.length > 1)
        return reply(
          ack,
          event,
          errorAck('invalid_message', 'a request carries one payload object'),
        );
      const parsed = (SignallingRequestSchemas[event] as z.ZodType).safeParse(args[0]);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
        return reply(
          ack,
          event,
          errorAck('invalid_message', `${event}: ${where}${issue?.message ?? 'invalid payload'}`),
        );
      }
      // A peer that left (or whose room closed) and asks again starts as a new peer, but only
      // with a join token that is still valid and a session that has not ended.
      if (!state.peer || state.peer.closed || !state.room || state.room.closed) {
        const refused = readmit(socket, state, deps);
        if (refused) {
          reply(ack, event, errorAck(refused.code, refused.message));
          socket.disconnect(true);
          return;
        }
      }
      if (state.peer!.channel !== socket)
        return reply(ack, event, errorAck('conflict', 'this peer continues on another connection'));
      const ctx = { room: state.room!, peer: state.peer!, socket };
      void (async () => {
        try {
          const data = await (handlers[event] as Handler<typeof event>)(ctx, parsed.data as never);
          reply(ack, event, { ok: true, data: data ?? {} });
        } catch (err) {
          reply(ack, event, toErrorAck(err, log, event));
        }
      })();
    });

    socket.on('disconnect', (reason) => {
      const { peer, room } = state;
      if (!peer || !room || peer.closed || peer.channel !== socket) return;
      const intentional =
        reason === 'client namespace disconnect' || reason === 'server namespace disconnect';
      if (intentional || !peer.attendanceReported || opts.reconnectGraceMs === 0) {
        room.removePeer(peer, intentional ? 'left' : 'disconnected');
        return;
      }
      peer.disconnectedAt = Date.now();
      peer.graceTimer = setTimeout(
        () => room.removePeer(peer, 'reconnect_timeout'),
        opts.reconnectGraceMs,
      );
      log.info(
        { room: room.id, peer: peer.id, reason, graceMs: opts.reconnectGraceMs },
        'peer disconnected; waiting for reconnect',
      );
    });
  });

  return io;
}
