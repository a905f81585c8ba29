import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { COLLAB_SERVER_EVENTS, UserNotification } from '@caunoi/shared';

/** Room every socket of a user joins on connect, whatever page they are on. */
export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * Live notifications to users' personal rooms. Through the adapter they reach the user on
 * whichever API instance their socket is connected to. Best effort: the calendar feed and the
 * session list are the durable record.
 */
@Injectable()
export class CollabNotifier {
  private nsp?: Namespace;

  attach(nsp: Namespace): void {
    this.nsp = nsp;
  }

  notify(userIds: string[], notification: UserNotification): void {
    if (!this.nsp || userIds.length === 0) return;
    this.nsp.to(userIds.map(userRoom)).emit(COLLAB_SERVER_EVENTS.notification, notification);
  }

  /** An event to everyone in these sessions' rooms (who entered them), on any instance. */
  toSessions(sessionIds: string[], event: string, payload: unknown): void {
    if (!this.nsp || sessionIds.length === 0) return;
    this.nsp.to(sessionIds.map(sessionRoom)).emit(event, payload);
  }
}
