import { io, type Socket } from 'socket.io-client';

/** A signalling-only client from Node (no media): admission checks, abuse, contract checks. */
export function connectBot(url: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
      socket.close();
      reject(Object.assign(new Error(err.message), { code: err.data?.code }));
    });
  });
}

/** Admission outcome: 'connected' or the refusal's code. */
export async function admission(url: string, auth: Record<string, unknown>): Promise<string> {
  try {
    const socket = await connectBot(url, auth);
    socket.close();
    return 'connected';
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message;
  }
}

export function request<T = any>(
  socket: Socket,
  name: string,
  data?: unknown,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    socket
      .timeout(timeoutMs)
      .emit(name, data ?? {}, (err: Error | null, ack: T) => (err ? reject(err) : resolve(ack)));
  });
}
