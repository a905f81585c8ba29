import { io, Socket } from 'socket.io-client';
import { Ack, COLLAB_NAMESPACE } from '@caunoi/shared';
import type { INestApplication } from '@nestjs/common';

/** A real socket.io client on an app's /collab namespace. */
export async function collabClient(app: INestApplication, token: string): Promise<Socket> {
  const port = (app.getHttpServer().address() as { port: number }).port;
  const socket = io(`http://127.0.0.1:${port}${COLLAB_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
  return socket;
}

export function request<T = unknown>(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 5000,
): Promise<Ack<T>> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** The next `event` on this socket that matches, or a timeout error naming it. */
export function next<T = unknown>(
  socket: Socket,
  event: string,
  match: (p: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (p: T) => {
      if (!match(p)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(p);
    };
    socket.on(event, on);
  });
}
