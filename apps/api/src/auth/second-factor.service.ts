import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomInt, scryptSync } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Role, TotpEnrolment } from '@caunoi/shared';
import { ApiException, invalidInput } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import type { UserRecord } from '../users/users.repository';
import { SecondFactorRepository } from './second-factor.repository';

const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no 0/o, 1/l: read off paper
const TOTP_PERIOD_SECONDS = 30;

/**
 * TOTP (RFC 6238 via otplib: 6 digits, 30 s, SHA-1, as every authenticator app expects) and ten
 * one-time recovery codes, kept as scrypt hashes salted with the user id.
 */
@Injectable()
export class SecondFactorService {
  constructor(
    @Inject(SecondFactorRepository) private readonly repo: SecondFactorRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether this user must have a second factor to get a full sign-in. */
  requiredFor(user: { roles: Role[] }): boolean {
    return user.roles.some((r) => this.config.MFA_REQUIRED_ROLES.includes(r));
  }

  /** Starts (or restarts) enrolment: a new secret, active only once a code from it is verified. */
  async beginTotp(user: UserRecord): Promise<TotpEnrolment> {
    if (user.totpEnabledAt)
      throw new ApiException(HttpStatus.CONFLICT, 'A TOTP authenticator is already active');
    const secret = generateSecret();
    await this.repo.savePendingSecret(user.id, secret);
    const otpauthUri = generateURI({ issuer: this.config.TOTP_ISSUER, label: user.email, secret });
    return { secret, otpauthUri };
  }

  /** Activates the pending secret with a code from it; returns the recovery codes (shown once). */
  async activateTotp(user: UserRecord, code: string): Promise<string[]> {
    const { secret, enabledAt } = await this.repo.totpOf(user.id);
    if (enabledAt) throw new ApiException(HttpStatus.CONFLICT, 'TOTP is already active');
    if (!secret)
      throw invalidInput({ path: 'code', message: 'Start enrolment with POST /me/mfa/totp first' });
    if (!(await this.acceptTotp(user.id, secret, code, true)))
      throw invalidInput({ path: 'code', message: 'The code is not valid for this authenticator' });
    return this.newRecoveryCodes(user.id);
  }

  /** The second step of a sign-in: a current TOTP code (once) or an unused recovery code. */
  async verify(userId: string, code: string): Promise<boolean> {
    if (code.includes('-'))
      return this.repo.useRecoveryCode(userId, this.hashRecovery(userId, code));
    const { secret, enabledAt } = await this.repo.totpOf(userId);
    return !!secret && !!enabledAt && this.acceptTotp(userId, secret, code, false);
  }

  private async acceptTotp(userId: string, secret: string, code: string, activate: boolean) {
    if (!/^[0-9]{6}$/.test(code)) return false;
    // One step either side absorbs a phone clock a little off.
    const result = await verify({ secret, token: code, epochTolerance: TOTP_PERIOD_SECONDS });
    if (!result.valid) return false;
    const step = Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS) + result.delta;
    return this.repo.claimStep(userId, step, activate);
  }

  private async newRecoveryCodes(userId: string): Promise<string[]> {
    const pick = (n: number) =>
      Array.from({ length: n }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(
        '',
      );
    const codes = Array.from({ length: RECOVERY_CODES }, () => `${pick(5)}-${pick(5)}`);
    await this.repo.replaceRecoveryCodes(
      userId,
      codes.map((c) => this.hashRecovery(userId, c)),
    );
    return codes;
  }

  private hashRecovery(userId: string, code: string): string {
    return scryptSync(code.trim().toLowerCase(), `caunoi-recovery:${userId}`, 32).toString('hex');
  }
}
