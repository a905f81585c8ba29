import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import type { LimitedSignIn, LoginRequest, LoginResponse, TokenPair } from '@caunoi/shared';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { toSummary, UserRecord, UsersRepository } from '../users/users.repository';
import { LoginThrottleService } from './login-throttle.service';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SecondFactorService } from './second-factor.service';
import { SignOuts } from './sign-outs';
import { TokenService } from './token.service';

// Compared against when the e-mail is unknown, so a miss costs the same time as a wrong password.
const DUMMY_HASH = bcrypt.hashSync(randomUUID(), 10);

/**
 * Signing in: password (throttled, audited) → second factor when the account has one → the steps
 * the account still owes (a forced password change, a required TOTP enrolment) → a token pair.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(RefreshTokenRepository) private readonly refreshTokens: RefreshTokenRepository,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(LoginThrottleService) private readonly throttle: LoginThrottleService,
    @Inject(SecondFactorService) private readonly secondFactor: SecondFactorService,
    @Inject(SignOuts) private readonly signOuts: SignOuts,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(input: LoginRequest, address: string | null): Promise<LoginResponse> {
    // Counted before the password check, so parallel guesses are counted too.
    const attempt = await this.throttle.attempt(input.email, address);
    const user = await this.users.findByEmail(input.email);
    const ok = await bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) {
      await this.throttle.failed(input.email, address, attempt);
      const reason = !user ? 'unknown_account' : !ok ? 'wrong_password' : 'disabled';
      await this.audit.record({ user: null, address }, 'auth.login_failed', {
        type: 'user',
        id: user?.id ?? null,
        details: { reason },
      });
      throw new UnauthorizedException('E-mail or password is incorrect');
    }
    await this.throttle.succeeded(input.email, address);
    await this.audit.record({ user, address }, 'auth.login', { type: 'user', id: user.id });
    if (user.totpEnabledAt)
      return { mfaRequired: true, mfaToken: this.tokens.signStep(user.id, 'mfa') };
    return this.continueSignIn(user);
  }

  /** The second step: a TOTP or recovery code for the `mfaToken` that login answered. */
  async loginSecondFactor(
    mfaToken: string,
    code: string,
    address: string | null,
  ): Promise<TokenPair | LimitedSignIn> {
    const step = this.tokens.verifyStep(mfaToken, ['mfa']);
    if (!step) throw new UnauthorizedException('The sign-in step has expired; sign in again');
    const throttleKey = `mfa:${step.sub}`;
    const attempt = await this.throttle.attempt(throttleKey, address);
    const user = await this.users.findById(step.sub);
    if (!user?.active) throw new UnauthorizedException('Account is disabled');
    if (!(await this.secondFactor.verify(user.id, code))) {
      await this.throttle.failed(throttleKey, address, attempt);
      await this.audit.record({ user: null, address }, 'auth.mfa_failed', {
        type: 'user',
        id: user.id,
      });
      throw new UnauthorizedException('The code is not valid');
    }
    await this.throttle.succeeded(throttleKey, address);
    await this.audit.record({ user, address }, 'auth.mfa', { type: 'user', id: user.id });
    return this.continueSignIn(user);
  }

  /** After every factor: the steps the account still owes, else a full sign-in. */
  async continueSignIn(user: UserRecord): Promise<TokenPair | LimitedSignIn> {
    if (user.mustChangePassword) return this.limited(user, 'password_change');
    if (this.secondFactor.requiredFor(user) && !user.totpEnabledAt)
      return this.limited(user, 'mfa_enrolment');
    return this.issuePair(user, randomUUID(), new Date());
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
    if (user.mustChangePassword)
      throw new UnauthorizedException('The password must be changed; sign in again');
    return this.issuePair(user, record.familyId, record.sessionStartedAt);
  }

  /** Ends the refresh token's sign-in, else the access token's, else every sign-in of the user. */
  async logout(userId: string, sid: string | undefined, refreshToken?: string): Promise<void> {
    if (refreshToken) {
      const record = await this.refreshTokens.findByHash(this.tokens.hashRefresh(refreshToken));
      if (record && record.userId === userId)
        return this.signOuts.endSignIn(userId, record.familyId);
    }
    if (sid) return this.signOuts.endSignIn(userId, sid);
    await this.signOuts.endAllOf(userId);
  }

  async issuePair(user: UserRecord, familyId: string, sessionStartedAt: Date): Promise<TokenPair> {
    const refresh = this.tokens.newRefreshToken();
    // However often it is refreshed, a sign-in ends SESSION_MAX_AGE_SECONDS after the password.
    const sessionEnd = sessionStartedAt.getTime() + this.config.SESSION_MAX_AGE_SECONDS * 1000;
    if (sessionEnd <= Date.now())
      throw new UnauthorizedException('The sign-in has expired; sign in again');
    await this.refreshTokens.insert({
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: new Date(Math.min(refresh.expiresAt.getTime(), sessionEnd)),
      sessionStartedAt,
    });
    return {
      accessToken: this.tokens.signAccess({
        sub: user.id,
        roles: user.roles,
        fid: user.facilityId,
        sid: familyId,
      }),
      refreshToken: refresh.token,
      user: toSummary(user),
    };
  }

  private limited(user: UserRecord, step: LimitedSignIn['step']): LimitedSignIn {
    return { step, limitedToken: this.tokens.signStep(user.id, step), user: toSummary(user) };
  }
}
