import { HttpStatus, Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ApiException } from '../common/errors';

/**
 * Attempt counters with a window. Every operation is atomic, so parallel requests each see their
 * own count. Redis when REDIS_URL is set (shared by API replicas), else this process's memory
 * (one API instance; several instances without Redis each count on their own).
 */
interface CounterStore {
  /** Adds one and returns the new count and the time left in the window (started by the first hit). */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** Takes back one hit (a successful sign-in is not an attempt against the address). */
  undo(key: string): Promise<void>;
  /** Keeps the counter for `ms` from now (the exponential backoff of a locked account). */
  extend(key: string, ms: number): Promise<void>;
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

class MemoryCounters implements CounterStore {
  private readonly map = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number) {
    const now = Date.now();
    // Guessing random e-mails must not grow memory without bound: drop expired counters now and then.
    if (this.map.size > 10_000)
      for (const [k, v] of this.map) if (v.resetAt <= now) this.map.delete(k);
    let e = this.map.get(key);
    if (!e || e.resetAt <= now) {
      e = { count: 0, resetAt: now + windowMs };
      this.map.set(key, e);
    }
    e.count += 1;
    return { count: e.count, resetInMs: e.resetAt - now };
  }

  async undo(key: string) {
    const e = this.map.get(key);
    if (e && e.count > 0) e.count -= 1;
  }

  async extend(key: string, ms: number) {
    const e = this.map.get(key);
    if (e) e.resetAt = Date.now() + ms;
  }

  async clear(key: string) {
    this.map.delete(key);
  }

  async close() {}
}

class RedisCounters implements CounterStore {
  constructor(private readonly redis: Redis) {}

  async hit(key: string, windowMs: number) {
    // One MULTI: SET … NX PX starts the window once, INCR counts, PTTL tells when it ends.
    const res = (await this.redis
      .multi()
      .set(key, 0, 'PX', windowMs, 'NX')
      .incr(key)
      .pttl(key)
      .exec()) as [unknown, [null, number], [null, number]];
    return { count: Number(res[1][1]), resetInMs: Math.max(Number(res[2][1]), 1) };
  }

  async undo(key: string) {
    await this.redis.decr(key);
  }

  async extend(key: string, ms: number) {
    await this.redis.pexpire(key, ms);
  }

  async clear(key: string) {
    await this.redis.del(key);
  }

  async close() {
    this.redis.disconnect();
  }
}

/**
 * Redis first; while it cannot be reached, this instance's own counters. A sign-in must not fail
 * because the shared counters are away, and guessing stays throttled (per instance meanwhile).
 */
class FallbackCounters implements CounterStore {
  private readonly local = new MemoryCounters();
  private warnedAt = 0;

  constructor(
    private readonly shared: CounterStore,
    private readonly onFallback: (err: Error) => void,
  ) {}

  private async either<T>(op: (s: CounterStore) => Promise<T>): Promise<T> {
    try {
      return await op(this.shared);
    } catch (err) {
      // One warning per half minute of outage, not one per sign-in.
      if (Date.now() - this.warnedAt > 30_000) {
        this.warnedAt = Date.now();
        this.onFallback(err as Error);
      }
      return op(this.local);
    }
  }

  hit(key: string, windowMs: number) {
    return this.either((s) => s.hit(key, windowMs));
  }
  undo(key: string) {
    return this.either((s) => s.undo(key));
  }
  extend(key: string, ms: number) {
    return this.either((s) => s.extend(key, ms));
  }
  clear(key: string) {
    return this.either((s) => s.clear(key));
  }
  close() {
    return this.shared.close();
  }
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The counters belong to one deployment (its database): API replicas share them, while another
 * deployment — or another test run — on the same Redis does not.
 */
function deploymentOf(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return createHash('sha256').update(`${u.host}${u.pathname}`).digest('hex').slice(0, 12);
}

/**
 * Sign-in attempts are counted BEFORE the password is checked, per account (whatever the address)
 * and per address, so parallel guesses are counted too: of N simultaneous wrong passwords at most
 * LOGIN_MAX_ATTEMPTS reach bcrypt. Each time an account runs out of attempts its wait doubles
 * (window, 2×, 4×… up to LOGIN_MAX_BACKOFF_SECONDS; the strike count lasts a day). A successful
 * sign-in resets the account and gives the address its attempt back, so a hospital behind one NAT
 * is never slowed down by its own clinicians.
 */
@Injectable()
export class LoginThrottleService implements OnModuleDestroy {
  private readonly store: CounterStore;
  private readonly logger = new Logger('LoginThrottle');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.REDIS_URL) {
      const redis = new Redis(config.REDIS_URL, {
        maxRetriesPerRequest: 2,
        // Fail at once while disconnected (the fallback counts) instead of holding the sign-in.
        enableOfflineQueue: false,
        keyPrefix: `caunoi:login:${deploymentOf(config.DATABASE_URL)}:`,
      });
      redis.on('error', (err) =>
        this.logger.warn({ err: err.message }, 'redis unavailable for login throttle'),
      );
      this.store = new FallbackCounters(new RedisCounters(redis), (err) =>
        this.logger.warn(
          { err: err.message },
          'login throttle counting locally: redis unavailable',
        ),
      );
    } else {
      this.store = new MemoryCounters();
    }
  }

  private keys(email: string, address: string | null) {
    return {
      account: `acct:${email.toLowerCase()}`,
      strikes: `strikes:${email.toLowerCase()}`,
      // An address may be a whole hospital behind NAT: allow it more than a single account.
      address: `addr:${address ?? 'unknown'}`,
    };
  }

  /**
   * Counts this attempt and throws 429 when the account or the address is over its limit.
   * Call before checking the password; then `failed` (with the number returned: which attempt on
   * the account this was) or `succeeded`.
   */
  async attempt(email: string, address: string | null): Promise<number> {
    const max = this.config.LOGIN_MAX_ATTEMPTS;
    const windowMs = this.config.LOGIN_WINDOW_SECONDS * 1000;
    const k = this.keys(email, address);
    const account = await this.store.hit(k.account, windowMs);
    const addr = await this.store.hit(k.address, windowMs);
    const over = [
      account.count > max ? account.resetInMs : 0,
      addr.count > max * 10 ? addr.resetInMs : 0,
    ].filter((ms) => ms > 0);
    if (over.length) {
      const retryAfter = Math.ceil(Math.max(...over) / 1000);
      throw new ApiException(
        HttpStatus.TOO_MANY_REQUESTS,
        `Too many failed sign-in attempts; try again in ${retryAfter} s`,
        { retryAfterSeconds: retryAfter },
      );
    }
    return account.count;
  }

  /** A wrong password: when it used the account's last attempt, the lockout grows. */
  async failed(email: string, address: string | null, attempt: number): Promise<void> {
    if (attempt !== this.config.LOGIN_MAX_ATTEMPTS) return;
    const windowMs = this.config.LOGIN_WINDOW_SECONDS * 1000;
    const k = this.keys(email, address);
    const strikes = (await this.store.hit(k.strikes, DAY_MS)).count;
    const backoffMs = Math.min(
      windowMs * 2 ** (strikes - 1),
      this.config.LOGIN_MAX_BACKOFF_SECONDS * 1000,
    );
    await this.store.extend(k.account, Math.max(backoffMs, windowMs));
  }

  async succeeded(email: string, address: string | null): Promise<void> {
    const k = this.keys(email, address);
    await this.store.clear(k.account);
    await this.store.clear(k.strikes);
    await this.store.undo(k.address);
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}
