import { Inject, Injectable } from '@nestjs/common';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SignOuts } from './sign-outs';

const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

/**
 * Whether the sign-in an access token belongs to is still alive (not logged out, reset or
 * revoked), so a logout ends REST access at once rather than when the access token expires.
 * Answers are cached for a few seconds per sign-in; sign-outs decided on this instance clear the
 * cache at once, those of another instance are seen within CACHE_MS.
 */
@Injectable()
export class LiveSignIns {
  private readonly cache = new Map<string, { live: boolean; at: number }>();

  constructor(
    @Inject(RefreshTokenRepository) private readonly refreshTokens: RefreshTokenRepository,
    @Inject(SignOuts) signOuts: SignOuts,
  ) {
    signOuts.onSignOut((e) => {
      if (e.sid) this.cache.delete(e.sid);
      else this.cache.clear(); // every sign-in of a user: we do not index by user, drop all
    });
  }

  async isLive(sid: string): Promise<boolean> {
    const hit = this.cache.get(sid);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.live;
    const live = await this.refreshTokens.isSignInLive(sid);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(sid, { live, at: Date.now() });
    return live;
  }
}
