import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { JoinTokenClaims } from '@caunoi/shared';
import { SfuError } from '../errors';
import { Peer } from '../rooms/peer';
import type { Room } from '../rooms/room';
import type { RoomManager } from '../rooms/room-manager';
import type { SfuMetrics } from '../metrics/metrics';
import { verifyJoinToken } from './join-token';
import { TokenBucket } from './rate-limit';

export interface SocketState {
  claims: JoinTokenClaims;
  token: string;
  roomId: string;
  peerIdHint?: string;
  room?: Room;
  peer?: Peer;
  bucket: TokenBucket;
}

export interface AdmissionDeps {
  rooms: RoomManager;
  publicKey: string;
  metrics: SfuMetrics;
  log: Logger;
  rate: number;
  burst: number;
}

/** A refusal as socket.io's `connect_error`: `err.message`, `err.data = { code, message }`. */
function refusal(err: unknown): Error {
  const e = err instanceof SfuError ? err : new SfuError('unauthorized', 'join token rejected');
  const out = new Error(e.message) as Error & { data?: unknown };
  out.data = { code: e.code, message: e.message };
  return out;
}

/**
 * socket.io middleware: `auth.token` is the API's join token (its `sid` is the room);
 * `auth.sessionId`, when given, must equal `sid`; `auth.peerId` asks to resume that peer. An
 * expired token is accepted only to resume the very peer it admitted; an ended session admits
 * no one.
 */
export function admissionMiddleware(deps: AdmissionDeps) {
  const { rooms, metrics, log } = deps;
  return (socket: Socket, next: (err?: Error) => void): void => {
    try {
      const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
      const token = auth.token;
      const verified = verifyJoinToken(token, deps.publicKey, { allowExpired: true });
      const { claims } = verified;
      const requested = auth.sessionId ?? socket.handshake.query?.sessionId;
      if (requested !== undefined && requested !== claims.sid) {
        throw new SfuError('forbidden', 'this join token is for another session');
      }
      if (rooms.isEnded(claims.sid)) throw new SfuError('session_ended', 'this session has ended');
      const peerIdHint =
        typeof auth.peerId === 'string' && auth.peerId.length <= 100 ? auth.peerId : undefined;
      if (verified.expired) {
        // An expired token only resumes the peer it admitted (no new capability is granted).
        const peer = peerIdHint ? rooms.get(claims.sid)?.peers.get(peerIdHint) : undefined;
        if (!peer || peer.closed || peer.userId !== claims.sub || peer.admittedWith !== token) {
          throw new SfuError('unauthorized', 'join token expired: ask the API for a new one');
        }
      }
      const state: SocketState = {
        claims,
        token: token as string,
        roomId: claims.sid,
        peerIdHint,
        bucket: new TokenBucket(deps.rate, deps.burst),
      };
      socket.data = state;
      next();
    } catch (err) {
      const out = refusal(err);
      const code = (out as { data?: { code?: string } }).data?.code ?? 'unauthorized';
      metrics.admissions.inc({ result: code });
      log.info(
        { code, reason: out.message, address: socket.handshake.address },
        'signalling connection refused',
      );
      next(out);
    }
  };
}

/**
 * Give the socket its peer. One peer per user and session: a socket of a user who already has a
 * peer in the room takes that peer over (the previous socket, if still connected, is told
 * `peerReplaced` and closed); the same peer id and attendance continue, so a phone that
 * reconnects before its old connection was seen to drop simply carries on.
 */
export function attachPeer(socket: Socket, state: SocketState, deps: AdmissionDeps): void {
  const { rooms, metrics, log } = deps;
  const room = rooms.getOrCreate(state.roomId, state.claims.kind);
  const { claims } = state;
  let peer: Peer | undefined;
  if (state.peerIdHint) {
    const candidate = room.peers.get(state.peerIdHint);
    if (candidate && !candidate.closed && candidate.userId === claims.sub) peer = candidate;
  }
  peer ??= [...room.peers.values()].find((p) => p.userId === claims.sub && !p.closed);
  const existing = !!peer;
  const replacing = !!peer?.connected && peer.channel !== socket;
  if (!peer) {
    peer = new Peer({
      id: randomUUID(),
      userId: claims.sub,
      displayName: claims.name,
      facility: claims.facility,
      presenter: claims.kind === 'training' && claims.presenter === true,
      moderator: claims.moderator,
    });
    room.addPeer(peer);
  }
  state.room = room;
  state.peer = peer;
  // A later reconnect may present this (possibly expired) token to resume the peer again.
  peer.admittedWith = state.token;
  peer.attach(socket);
  if (existing) {
    const result = replacing ? 'replaced' : 'resumed';
    metrics.admissions.inc({ result });
    log.info({ room: room.id, peer: peer.id, user: claims.sub, result }, 'peer on a new socket');
  } else {
    metrics.admissions.inc({ result: 'ok' });
    if (state.peerIdHint) socket.emit('rejoin', { reason: 'peer_expired' });
  }
}

/**
 * A socket whose peer is gone (it left, or its room closed) asks again: a new peer only with a
 * join token that is still valid, for a session that has not ended. Returns the refusal, if any.
 */
export function readmit(socket: Socket, state: SocketState, deps: AdmissionDeps): SfuError | null {
  try {
    if (deps.rooms.isEnded(state.roomId))
      throw new SfuError('session_ended', 'this session has ended');
    verifyJoinToken(state.token, deps.publicKey);
    state.peerIdHint = undefined;
    attachPeer(socket, state, deps);
    return null;
  } catch (err) {
    return err instanceof SfuError ? err : new SfuError('unauthorized', 'join token rejected');
  }
}
