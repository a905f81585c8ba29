import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  HandshakeJoinSchema,
  SIGNALLING_LIMITS,
  SignallingRequestSchemas,
  capabilitiesDigest,
  type Ack,
} from '@caunoi/shared';
import type { RoomManager } from '../rooms/room-manager';
import type { SfuMetrics } from '../metrics/metrics';
import {
  admissionMiddleware,
  attachPeer,
  readmit,
  type AdmissionDeps,
  type SocketState,
} from './admission';
import {
  byteSize,
  describeIssue,
  errorAck,
  handlers,
  isRequestName,
  toErrorAck,
  type Handler,
} from './requests';

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

/**
 * What the SFU sends right after a connection, as the handshake asks. `auth.join`: the join
 * itself, taken when the router capabilities it was made with are still the router's, answered
 * with the event `joined`; otherwise (and for `auth.capabilities: true`) the router's
 * capabilities, so a client without a loaded Device does not ask for them.
 */
function openingMessages(
  socket: Socket,
  state: SocketState,
  serve: (event: string, args: unknown[], ack?: (r: unknown) => void) => void,
): void {
  const auth = (socket.handshake.auth ?? {}) as { capabilities?: unknown; join?: unknown };
  if (auth.join === undefined && auth.capabilities !== true) return;
  const answer = (r: unknown) => socket.emit('joined', r);
  const parsed = auth.join === undefined ? null : HandshakeJoinSchema.safeParse(auth.join);
  if (parsed && !parsed.success) {
    answer(errorAck('invalid_message', describeIssue('auth.join', parsed.error)));
    if (auth.capabilities !== true) return;
  }
  void state
    .room!.primaryRouter()
    .then((router) => {
      const join = parsed?.success ? parsed.data : null;
      if (join && join.routerCapabilities === capabilitiesDigest(router.rtpCapabilities))
        return serve('join', [join.request], answer);
      socket.emit('routerRtpCapabilities', router.rtpCapabilities);
    })
    .catch(() => undefined);
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

    /** One request, from an event or from the handshake: limits, schema, then its handler. */
    const serve = (event: string, args: unknown[], ack?: (r: unknown) => void) => {
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
      if (!parsed.success)
        return reply(ack, event, errorAck('invalid_message', describeIssue(event, parsed.error)));
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
    };

    openingMessages(socket, state, serve);

    socket.onAny((event: string, ...args: unknown[]) => {
      const ack =
        typeof args[args.length - 1] === 'function'
          ? (args.pop() as (r: unknown) => void)
          : undefined;
      serve(event, args, ack);
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
