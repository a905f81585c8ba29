import { Inject, Injectable } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import { RefreshTokenRepository } from '../auth/refresh-token.repository';
import type { SignOut } from '../auth/sign-outs';
import { TokenService } from '../auth/token.service';
import { UsersRepository } from '../users/users.repository';
import { userRoom } from './collab-notifier';
import { CollabError } from './event-guard';

/** Room of every socket opened with an access token of one sign-in (refresh-token family). */
export const signInRoom = (sid: string) => `signin:${sid}`;

export interface SocketIdentity {
  id: string;
  fullName: string;
  roles: string[];
  facilityId: string | null;
  sid?: string;
}

/**
 * A socket is as good as the access token it presented, for as long as that token lasts: it is
 * checked at connect (user active, sign-in not ended), dropped when the token expires unless the
 * client sends the next one (`auth:refresh`), and dropped at once when its sign-in ends (logout,
 * password change, admin reset or disable) on whichever API instance it is connected to.
 */
@Injectable()
export class SocketSignIn {
  private readonly expiry = new WeakMap<Socket, NodeJS.Timeout>();

  constructor(
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(RefreshTokenRepository) private readonly refreshTokens: RefreshTokenRepository,
  ) {}

  /** The identity behind a token, or an Error saying why not. */
  async check(token: unknown): Promise<SocketIdentity> {
    if (typeof token !== 'string' || !token)
      throw new Error('an access token is required (auth.token)');
    const claims = this.tokens.verifyAccess(token);
    if (!claims) throw new Error('access token is invalid or expired');
    const user = await this.users.findById(claims.sub);
    if (!user || !user.active) throw new Error('account is disabled or no longer exists');
    if (claims.sid && !(await this.refreshTokens.isSignInLive(claims.sid)))
      throw new Error('this sign-in has ended; sign in again');
    const { id, fullName, roles, facilityId } = user;
    return { id, fullName, roles, facilityId, sid: claims.sid };
  }

  /** Joins the socket's user and sign-in rooms and arms the expiry of its token. */
  async attach(socket: Socket, identity: SocketIdentity, token: string): Promise<void> {
    await socket.join(userRoom(identity.id));
    if (identity.sid) await socket.join(signInRoom(identity.sid));
    this.arm(socket, token);
    socket.once('disconnect', () => clearTimeout(this.expiry.get(socket)));
  }

  /** `auth:refresh`: a fresh token of the same user keeps the socket open. */
  async reauth(socket: Socket, current: SocketIdentity, token: string) {
    let next: SocketIdentity;
    try {
      next = await this.check(token);
    } catch (err) {
      throw new CollabError('unauthorized', (err as Error).message);
    }
    if (next.id !== current.id)
      throw new CollabError('forbidden', 'The token belongs to someone else');
    if (next.sid && next.sid !== current.sid) {
      if (current.sid) await socket.leave(signInRoom(current.sid));
      await socket.join(signInRoom(next.sid));
      current.sid = next.sid;
    }
    this.arm(socket, token);
    return { expiresInSeconds: this.tokens.secondsLeft(token) };
  }

  /** Disconnects the sockets of ended sign-ins, across instances through the adapter. */
  disconnect(nsp: Namespace, e: SignOut): void {
    let target = nsp.in(e.sid ? signInRoom(e.sid) : userRoom(e.userId));
    if (e.keepSid) target = target.except(signInRoom(e.keepSid));
    target.disconnectSockets(true);
  }

  private arm(socket: Socket, token: string): void {
    clearTimeout(this.expiry.get(socket));
    const timer = setTimeout(() => socket.disconnect(true), this.tokens.secondsLeft(token) * 1000);
    timer.unref();
    this.expiry.set(socket, timer);
  }
}
