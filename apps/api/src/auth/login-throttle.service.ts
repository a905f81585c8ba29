import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ApiException } from '../common/errors';

/**
 * Failed-login counter per (account, address) and per address, in a fixed window. It lives in
 * process memory: with several API replicas each counts on its own (see docs/api.md).
 */
@Injectable()
export class LoginThrottleService {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private keys(email: string, address: string | null): Array<[string, number]> {
    const max = this.config.LOGIN_MAX_ATTEMPTS;
    const addr = address ?? 'unknown';
    // An address may host a whole hospital behind NAT: allow it more than a single account.
    return [
      [`acct:${email.toLowerCase()}|${addr}`, max],
      [`addr:${addr}`, max * 10],
    ];
  }

  /** Throws 429 while either counter is over its limit. */
  assertAllowed(email: string, address: string | null): void {
    const now = Date.now();
    for (const [key, max] of this.keys(email, address)) {
      const entry = this.failures.get(key);
      if (entry && entry.resetAt <= now) this.failures.delete(key);
      else if (entry && entry.count >= max) {
        const retryAfter = Math.ceil((entry.resetAt - now) / 1000);
        throw new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          `Too many failed sign-in attempts; try again in ${retryAfter} s`,
          { retryAfterSeconds: retryAfter },
        );
      }
    }
  }

  recordFailure(email: string, address: string | null): void {
    const now = Date.now();
    const windowMs = this.config.LOGIN_WINDOW_SECONDS * 1000;
    for (const [key] of this.keys(email, address)) {
      const entry = this.failures.get(key);
      if (!entry || entry.resetAt <= now) this.failures.set(key, { count: 1, resetAt: now + windowMs });
      else entry.count += 1;
    }
  }

  recordSuccess(email: string, address: string | null): void {
    this.failures.delete(this.keys(email, address)[0][0]);
  }
}
