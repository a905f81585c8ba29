import { Manager, type Socket } from 'socket.io-client';
import type { Ack, HandshakeJoin, JoinResponse, SignallingRequestName } from '@caunoi/shared';
import { samePlacement, type Placement } from './placement-memory';

const connectionOptions = (place: Placement) => ({
  // Behind the one public origin the SFU has its own socket.io path (e.g. /sfu/socket.io).
  path: place.sfuPath ?? '/socket.io',
  transports: ['websocket'],
  reconnectionDelay: 500,
  reconnectionDelayMax: 3000,
});

/** What a connection's handshake presents besides the join token. */
export interface Handshake {
  /** Ours on this SFU node: resume that peer. */
  peerId: string | null;
  /** Ask the SFU to send its router's capabilities right after connecting. */
  capabilities: boolean;
  /** The join itself, made with the router capabilities kept from the last join there. */
  join?: HandshakeJoin;
  /** Called as this handshake goes out (one prepared for a node we then leave never does). */
  presented?: () => void;
}

/** A connection opened ahead of the join (openAhead), until a join takes it. */
let ahead: { place: Placement; manager: Manager } | null = null;

/**
 * Opens the WebSocket to the SFU node of the last join while the clinician is still on the
 * room's device check: on a 300–800 ms line its upgrade is a round trip (more with the page's own
 * requests on the line) that the join then need not wait for. Nothing is presented over it — no
 * token, no peer — until a join takes it; the returned function closes it if none did.
 */
export function openAhead(place: Placement): () => void {
  if (ahead && samePlacement(ahead.place, place)) {
    const { manager } = ahead;
    return () => dropAhead(manager);
  }
  dropAhead(ahead?.manager);
  // No reconnection until taken: the SFU closes a connection that joins no room after a while.
  const manager = new Manager(place.sfuUrl, { ...connectionOptions(place), reconnection: false });
  ahead = { place, manager };
  return () => dropAhead(manager);
}

function dropAhead(manager: Manager | undefined): void {
  if (!manager || ahead?.manager !== manager) return;
  ahead = null;
  manager._close();
}

/** The connection opened ahead towards `place`, if there is one: it is the caller's now. */
function takeAhead(place: Placement): Manager | null {
  if (!ahead || !samePlacement(ahead.place, place)) return null;
  const { manager } = ahead;
  ahead = null;
  return manager.reconnection(true);
}

/**
 * The socket.io connection to the SFU. It opens towards `place` (the node of the last join)
 * while the first join answer is still on its way, or takes the connection opened ahead there:
 * TCP and the WebSocket upgrade overlap the join call. The token goes out only once that answer
 * names the same node; naming another, the connection moves there. Every reconnection fetches a
 * fresh short-lived join token and presents our peerId, so the SFU resumes the peer (and its
 * attendance) within its grace period.
 */
export function openSignalling(
  first: Promise<JoinResponse>,
  getJoin: () => Promise<JoinResponse>,
  handshake: (place: Placement) => Promise<Handshake>,
  place: Placement,
): Socket {
  let pending: Promise<JoinResponse> | null = first;
  let reuse: JoinResponse | null = null;
  // A manager of our own: the placement may change its address.
  const manager = takeAhead(place) ?? new Manager(place.sfuUrl, connectionOptions(place));
  const socket = manager.socket('/', {
    auth: (cb) => {
      const at = (): Placement => {
        const m = addressOf(manager);
        return { sfuUrl: m.uri, sfuPath: m.opts.path };
      };
      // What the handshake says besides the token, prepared for the node it goes to while the
      // token is still on its way (preparing a join loads a Device).
      const prepared = handshake(at()).catch((): Handshake => ({
        peerId: null,
        capabilities: true,
      }));
      const present = (token: string) =>
        void prepared.then((h) => {
          h.presented?.();
          cb({
            token,
            peerId: h.peerId ?? undefined,
            // `capabilities`: the SFU sends its router's capabilities right after connecting.
            ...(h.capabilities ? { capabilities: true } : {}),
            // `join`: the join itself, answered with the event `joined`.
            ...(h.join ? { join: h.join } : {}),
          });
        });
      if (pending) {
        const answer = pending;
        pending = null;
        // A refused first join is the caller's to report (it closes this socket).
        answer.then(
          (j) => {
            if (samePlacement(j, place)) return present(j.token);
            reuse = j;
            moveTo(socket, j);
          },
          () => undefined,
        );
        return;
      }
      if (reuse) {
        present(reuse.token);
        reuse = null;
        return;
      }
      getJoin()
        .then((j) => present(j.token))
        .catch(() => present(''));
    },
  });
  followPlacement(socket, getJoin, (j) => (reuse = j));
  return socket;
}

/** A manager with the address it connects to (socket.io keeps it, unexposed). */
function addressOf(manager: Manager): { uri: string; opts: { path?: string } } {
  return manager as unknown as { uri: string; opts: { path?: string } };
}

/** Points the connection at the node `j` names and opens it there now. */
function moveTo(socket: Socket, j: JoinResponse): void {
  const manager = addressOf(socket.io);
  manager.uri = j.sfuUrl;
  manager.opts.path = j.sfuPath ?? '/socket.io';
  // Drops the pending attempt (and its back-off timer) and opens to the new node now. Not once
  // the room was left meanwhile (`active` is false after our own disconnect): that would bring
  // the peer back.
  if (!socket.connected && socket.active) socket.disconnect().connect();
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
  const manager = addressOf(socket.io);
  let asking = false;
  socket.io.on('reconnect_attempt', () => {
    if (asking) return;
    asking = true;
    getJoin()
      .then((j) => {
        fresh(j);
        // At the new node the handshake presents the token of this answer.
        if (!samePlacement(j, { sfuUrl: manager.uri, sfuPath: manager.opts.path }))
          moveTo(socket, j);
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
