import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { RefreshTokenRepository } from './refresh-token.repository';

/**
 * Sign-ins that ended: one (`sid` = the refresh-token family) or every one of the user, except
 * `keepSid` when given (the caller's own, after changing their password).
 */
export interface SignOut {
  userId: string;
  sid?: string;
  keepSid?: string;
}

/**
 * Ending sign-ins, from wherever it is decided (logout, password change, admin reset or disable):
 * revokes the refresh tokens, then tells the listeners (the collaboration gateway disconnects the
 * matching sockets on every instance through its adapter).
 */
@Injectable()
export class SignOuts {
  private readonly listeners: Array<(e: SignOut) => void> = [];

  constructor(
    @Inject(RefreshTokenRepository) private readonly refreshTokens: RefreshTokenRepository,
  ) {}

  onSignOut(listener: (e: SignOut) => void): void {
    this.listeners.push(listener);
  }

  /** Ends one sign-in. */
  async endSignIn(userId: string, sid: string): Promise<void> {
    await this.refreshTokens.revokeFamily(sid);
    this.emit({ userId, sid });
  }

  /** Ends every sign-in of the user, or every one but `keepSid` (the caller's own). */
  async endAllOf(userId: string, keepSid?: string): Promise<void> {
    await this.refreshTokens.revokeAllOfUser(userId, keepSid);
    this.emit({ userId, keepSid });
  }

  private emit(e: SignOut): void {
    for (const l of this.listeners) l(e);
  }
}

@Global()
@Module({
  providers: [SignOuts, RefreshTokenRepository],
  exports: [SignOuts, RefreshTokenRepository],
})
export class SignOutsModule {}
