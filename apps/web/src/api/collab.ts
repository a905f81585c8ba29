import { io, type Socket } from 'socket.io-client';
import { COLLAB_NAMESPACE, type Ack } from '@caunoi/shared';
import { getAuth, refreshSession } from './client';

/**
 * The API's collaboration gateway (socket.io namespace /collab), same origin as the page.
 * The auth callback runs on every (re)connection, so a reconnect carries the current token.
 */
let shared: Socket | null = null;

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
  shared = socket;
  return socket;
}

export function closeCollabSocket(): void {
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
