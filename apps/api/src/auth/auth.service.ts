import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import type { LoginRequest, TokenPair } from '@caunoi/shared';
import { AuditService } from '../audit/audit.service';
import { toSummary, UserRecord, UsersRepository } from '../users/users.repository';
import { LoginThrottleService } from './login-throttle.service';
import { RefreshTokenRepository } from './refresh-token.repository';
import { TokenService } from './token.service';

// Compared against when the e-mail is unknown, so a miss costs the same time as a wrong password.
const DUMMY_HASH = bcrypt.hashSync(randomUUID(), 10);

@Injectable()
export class AuthService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(RefreshTokenRepository) private readonly refreshTokens: RefreshTokenRepository,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(LoginThrottleService) private readonly throttle: LoginThrottleService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async login(input: LoginRequest, address: string | null): Promise<TokenPair> {
    await this.throttle.assertAllowed(input.email, address);
    const user = await this.users.findByEmail(input.email);
    const ok = await bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) {
      await this.throttle.recordFailure(input.email, address);
      await this.audit.record(null, 'auth.login_failed', { type: 'user', id: user?.id ?? null });
      throw new UnauthorizedException('E-mail or password is incorrect');
    }
    await this.throttle.recordSuccess(input.email, address);
    await this.audit.record({ user, address }, 'auth.login', { type: 'user', id: user.id });
    return this.issuePair(user, randomUUID());
  }

  /**
   * Rotation: each refresh token works once. Presenting one that was already used means it
   * leaked (or a client raced itself): the whole family is revoked and the caller must log in.
   */
  async refresh(refreshToken: string, address: string | null): Promise<TokenPair> {
    const record = await this.refreshTokens.findByHash(this.tokens.hashRefresh(refreshToken));
    if (!record) throw new UnauthorizedException('Refresh token is not valid');
    if (record.revokedAt)
      throw new UnauthorizedException('Refresh token was revoked; sign in again');
    if (record.usedAt || !(await this.refreshTokens.markUsed(record.id))) {
      await this.refreshTokens.revokeFamily(record.familyId);
      await this.audit.record(null, 'auth.refresh_reuse', {
        type: 'user',
        id: record.userId,
        details: { address },
      });
      throw new UnauthorizedException(
        'Refresh token was already used; all sessions of this sign-in are revoked',
      );
    }
    if (record.expiresAt.getTime() <= Date.now())
      throw new UnauthorizedException('Refresh token has expired');
    const user = await this.users.findById(record.userId);
    if (!user || !user.active) throw new UnauthorizedException('Account is disabled');
    return this.issuePair(user, record.familyId);
  }

  /** Ends the sign-in the refresh token belongs to, or every sign-in of the user without one. */
  async logout(userId: string, refreshToken?: string): Promise<void> {
    if (refreshToken) {
      const record = await this.refreshTokens.findByHash(this.tokens.hashRefresh(refreshToken));
      if (record && record.userId === userId)
        return this.refreshTokens.revokeFamily(record.familyId);
    }
    await this.refreshTokens.revokeAllOfUser(userId);
  }

  private async issuePair(user: UserRecord, familyId: string): Promise<TokenPair> {
    const refresh = this.tokens.newRefreshToken();
    await this.refreshTokens.insert({
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: refresh.expiresAt,
    });
    return {
      accessToken: this.tokens.signAccess({
        sub: user.id,
        roles: user.roles,
        fid: user.facilityId,
      }),
      refreshToken: refresh.token,
      user: toSummary(user),
    };
  }
}
