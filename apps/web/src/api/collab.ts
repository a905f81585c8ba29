import { io, type Socket } from 'socket.io-client';
import { COLLAB_CLIENT_EVENTS, COLLAB_NAMESPACE, type Ack } from '@caunoi/shared';
import { getAuth, onAuthChange, refreshSession, secondsUntilExpiry } from './client';

/**
 * The API's collaboration gateway (socket.io namespace /collab), same origin as the page.
 * The auth callback runs on every (re)connection, so a reconnect carries the current token.
 */
let shared: Socket | null = null;
let stopFollowingAuth: (() => void) | null = null;

export function collabSocket(): Socket {
  if (shared) return shared;
  const socket = io(COLLAB_NAMESPACE, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    auth: (cb) => cb({ token: getAuth()?.accessToken ?? '' }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  socket.on('connect_error', async (err) => {
    // An expired access token: refresh and let socket.io's own retry pick up the new one.
    if (/unauthor|jwt|token/i.test(err.message)) await refreshSession();
  });
  // The server drops a socket when its access token expires: hand it each new token as it comes.
  stopFollowingAuth = onAuthChange((a) => {
    if (a && socket.connected)
      socket.emit(COLLAB_CLIENT_EVENTS.reauth, { token: a.accessToken }, () => undefined);
  });
  socket.on('disconnect', async (reason) => {
    // Dropped by the server (token expired, or the sign-in ended): socket.io does not retry on its
    // own. With a sign-in still alive, reconnect with a current token; otherwise stay down.
    if (reason !== 'io server disconnect' || !getAuth()) return;
    const auth = getAuth();
    const left = auth ? secondsUntilExpiry(auth.accessToken) : null;
    const usable = left !== null && left > 5 ? auth : await refreshSession();
    if (usable && shared === socket) socket.connect();
  });
  shared = socket;
  return socket;
}

export function closeCollabSocket(): void {
  stopFollowingAuth?.();
  stopFollowingAuth = null;
  shared?.disconnect();
  shared = null;
}

export function emitAck<T>(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 8000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: Ack<T> | undefined) => {
      if (err) return reject(err);
      if (!ack) return resolve(undefined as T);
      if (ack.ok) resolve(ack.data);
      else reject(Object.assign(new Error(ack.error.message), { code: ack.error.code }));
    });
  });
}
