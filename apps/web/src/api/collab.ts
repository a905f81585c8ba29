import { io, type Socket } from 'socket.io-client';
import { COLLAB_CLIENT_EVENTS, COLLAB_NAMESPACE, type Ack } from '@caunoi/shared';
import { getAuth, onAuthChange, refreshSession, secondsUntilExpiry } from './client';

/**
 * The API's collaboration gateway (socket.io namespace /collab), same origin as the page.
 * The auth callback runs on every (re)connection, so a reconnect carries the current token.
 *
 * It comes back after ANY disconnect: socket.io retries transport losses by itself; a disconnect
 * by the server (token expired, API stopping) and a refused connection (bad token, server not
 * ready) are retried here, with a fresh token when the current one is (nearly) expired, for as
 * long as the user is signed in.
 */
let shared: Socket | null = null;
let stopFollowingAuth: (() => void) | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

/** The link as the UI shows it: `retrying` means the server is unavailable and we keep trying. */
export type CollabLink = 'connecting' | 'connected' | 'retrying';
let link: CollabLink = 'connecting';
const linkListeners = new Set<(l: CollabLink) => void>();

export function collabLink(): CollabLink {
  return link;
}

export function onCollabLink(l: (link: CollabLink) => void): () => void {
  linkListeners.add(l);
  return () => linkListeners.delete(l);
}

function setLink(next: CollabLink): void {
  if (next === link) return;
  link = next;
  for (const l of linkListeners) l(next);
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 8000;

/** A token worth presenting: the current one if it has a few seconds left, else a refreshed one. */
async function usableAuth() {
  const auth = getAuth();
  const left = auth ? secondsUntilExpiry(auth.accessToken) : null;
  return left !== null && left > 5 ? auth : await refreshSession();
}

export function collabSocket(): Socket {
  if (shared) return shared;
  const socket = io(COLLAB_NAMESPACE, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    auth: (cb) => cb({ token: getAuth()?.accessToken ?? '' }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  let delay = RETRY_MIN_MS;
  // socket.io gives up on a socket the server refused or dropped: connect it again ourselves,
  // backing off, once there is a usable token (a refresh that fails for lack of a server keeps
  // the sign-in; one the server refuses signs out, and then we stay down).
  const retry = (wait: number) => {
    if (retryTimer || shared !== socket) return;
    retryTimer = setTimeout(async () => {
      retryTimer = null;
      if (shared !== socket || socket.connected || socket.active) return;
      if (await usableAuth()) socket.connect();
    }, wait);
    delay = Math.min(RETRY_MAX_MS, delay * 2);
  };
  socket.on('connect', () => {
    delay = RETRY_MIN_MS;
    setLink('connected');
  });
  socket.on('connect_error', async (err) => {
    setLink('retrying');
    // An expired access token: refresh, then retry (socket.io's own retry covers transport errors).
    if (/unauthor|jwt|token|expired/i.test(err.message)) await refreshSession();
    if (!socket.active && getAuth()) retry(delay);
  });
  // The server drops a socket when its access token expires: hand it each new token as it comes.
  // The socket is authenticated as one person: signing out, or in as someone else, closes it
  // (here rather than in the sign-in code, which must not load socket.io on the sign-in page).
  const owner = getAuth()?.user.id ?? null;
  stopFollowingAuth = onAuthChange((a) => {
    if (!a || (owner !== null && a.user.id !== owner)) return closeCollabSocket();
    if (socket.connected)
      socket.emit(COLLAB_CLIENT_EVENTS.reauth, { token: a.accessToken }, () => undefined);
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    setLink('retrying');
    // Dropped by the server (token expired, sign-in ended, API shutting down): socket.io does not
    // retry on its own. Reconnect at once while signed in; a refusal then backs off.
    if (reason === 'io server disconnect' && getAuth()) retry(0);
  });
  shared = socket;
  return socket;
}

export function closeCollabSocket(): void {
  stopFollowingAuth?.();
  stopFollowingAuth = null;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  shared?.disconnect();
  shared = null;
  setLink('connecting');
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
