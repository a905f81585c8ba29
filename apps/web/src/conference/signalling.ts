import { io, type Socket } from 'socket.io-client';
import type { Ack, JoinResponse, SignallingRequestName } from '@caunoi/shared';

/**
 * The socket.io connection to the SFU. The first connection uses the join response already at
 * hand; every reconnection fetches a fresh short-lived join token and presents our peerId, so the
 * SFU resumes the peer (and its attendance) within its grace period.
 */
export function openSignalling(
  first: JoinResponse,
  getJoin: () => Promise<JoinResponse>,
  handshake: () => { peerId: string | null; capabilities: boolean },
): Socket {
  let reuse: JoinResponse | null = first;
  const socket = io(first.sfuUrl, {
    // Behind the one public origin the SFU has its own socket.io path (e.g. /sfu/socket.io).
    path: first.sfuPath ?? '/socket.io',
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
    auth: (cb) => {
      const h = handshake();
      // `capabilities`: the SFU sends its router's capabilities right after connecting.
      const rest = {
        peerId: h.peerId ?? undefined,
        ...(h.capabilities ? { capabilities: true } : {}),
      };
      if (reuse) {
        cb({ token: reuse.token, ...rest });
        reuse = null;
        return;
      }
      getJoin()
        .then((j) => cb({ token: j.token, ...rest }))
        .catch(() => cb({ token: '', ...rest }));
    },
  });
  followPlacement(socket, getJoin, (j) => (reuse = j));
  return socket;
}

/**
 * With several SFU nodes a session lives on one of them; when that node dies the API moves the
 * session and the join answer names the new node. So before each reconnection attempt a fresh
 * join is asked for, and once it names another node the client goes there at once (that node
 * does not know us: the client joins afresh, as after an SFU restart). At once, because the
 * attempt that asked has already left for the dead node, and socket.io's back-off would wait up
 * to reconnectionDelayMax before the next one: seconds more of a frozen conference.
 */
function followPlacement(
  socket: Socket,
  getJoin: () => Promise<JoinResponse>,
  fresh: (j: JoinResponse) => void,
): void {
  const manager = socket.io as unknown as { uri: string; opts: { path?: string } };
  let asking = false;
  socket.io.on('reconnect_attempt', () => {
    if (asking) return;
    asking = true;
    getJoin()
      .then((j) => {
        fresh(j);
        if (j.sfuUrl === manager.uri) return;
        manager.uri = j.sfuUrl;
        manager.opts.path = j.sfuPath ?? '/socket.io';
        // Drops the pending attempt (and its back-off timer) and opens to the new node now; the
        // handshake then presents the token of this answer. Not once the room was left meanwhile
        // (`active` is false after our own disconnect): that would bring the peer back.
        if (!socket.connected && socket.active) socket.disconnect().connect();
      })
      .catch(() => {})
      .finally(() => (asking = false));
  });
}

/** A signalling request with its acknowledgement (10 s), refusals as errors with their code. */
export function signal<T>(socket: Socket, name: SignallingRequestName, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.timeout(10_000).emit(name, data, (err: Error | null, ack: Ack<T>) => {
      if (err) reject(err);
      else if (!ack) resolve(undefined as T);
      else if (ack.ok) resolve(ack.data);
      else reject(Object.assign(new Error(ack.error.message), { code: ack.error.code }));
    });
  });
}
