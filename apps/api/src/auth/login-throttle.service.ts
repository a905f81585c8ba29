import { HttpStatus, Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/config.module';
import { ApiException } from '../common/errors';

/** Failure counters with a fixed window. Redis when REDIS_URL is set (shared by replicas), else memory. */
interface CounterStore {
  read(key: string): Promise<{ count: number; resetInMs: number } | null>;
  increment(key: string, windowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

class MemoryCounters implements CounterStore {
  private readonly map = new Map<string, { count: number; resetAt: number }>();

  async read(key: string) {
    const e = this.map.get(key);
    if (!e) return null;
    if (e.resetAt <= Date.now()) {
      this.map.delete(key);
      return null;
    }
    return { count: e.count, resetInMs: e.resetAt - Date.now() };
  }

  async increment(key: string, windowMs: number) {
    // Guessing random e-mails must not grow memory without bound: drop expired counters now and then.
    if (this.map.size > 10_000) {
      const now = Date.now();
      for (const [k, v] of this.map) if (v.resetAt <= now) this.map.delete(k);
    }
    const e = this.map.get(key);
    if (!e || e.resetAt <= Date.now())
      this.map.set(key, { count: 1, resetAt: Date.now() + windowMs });
    else e.count += 1;
  }

  async clear(key: string) {
    this.map.delete(key);
  }

  async close() {}
}

class RedisCounters implements CounterStore {
  constructor(private readonly redis: Redis) {}

  async read(key: string) {
    const [[, count], [, ttl]] = (await this.redis.multi().get(key).pttl(key).exec()) as [
      [null, string | null],
      [null, number],
    ];
    if (count === null || ttl <= 0) return null;
    return { count: Number(count), resetInMs: ttl };
  }

  async increment(key: string, windowMs: number) {
    // SET … NX PX starts the window once; INCR keeps the expiry.
    await this.redis.multi().set(key, 0, 'PX', windowMs, 'NX').incr(key).exec();
  }

  async clear(key: string) {
    await this.redis.del(key);
  }

  async close() {
    this.redis.disconnect();
  }
}

/**
 * Failed-login counter per (account, address) and per address. Counting failures only: a
 * clinician who signs in correctly is never slowed down by colleagues behind the same NAT.
 */
@Injectable()
export class LoginThrottleService implements OnModuleDestroy {
  private readonly store: CounterStore;
  private readonly logger = new Logger('LoginThrottle');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.REDIS_URL) {
      const redis = new Redis(config.REDIS_URL, {
        maxRetriesPerRequest: 2,
        keyPrefix: 'caunoi:login:',
      });
      redis.on('error', (err) =>
        this.logger.warn({ err: err.message }, 'redis unavailable for login throttle'),
      );
      this.store = new RedisCounters(redis);
    } else {
      this.store = new MemoryCounters();
    }
  }

  private keys(email: string, address: string | null): Array<[string, number]> {
    const max = this.config.LOGIN_MAX_ATTEMPTS;
    const addr = address ?? 'unknown';
    // An address may be a whole hospital behind NAT: allow it more than a single account.
    return [
      [`acct:${email.toLowerCase()}|${addr}`, max],
      [`addr:${addr}`, max * 10],
    ];
  }

  /** Throws 429 while either counter is at its limit. */
  async assertAllowed(email: string, address: string | null): Promise<void> {
    for (const [key, max] of this.keys(email, address)) {
      const entry = await this.store.read(key);
      if (entry && entry.count >= max) {
        const retryAfter = Math.ceil(entry.resetInMs / 1000);
        throw new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          `Too many failed sign-in attempts; try again in ${retryAfter} s`,
          {
            retryAfterSeconds: retryAfter,
          },
        );
      }
    }
  }

  async recordFailure(email: string, address: string | null): Promise<void> {
    const windowMs = this.config.LOGIN_WINDOW_SECONDS * 1000;
    for (const [key] of this.keys(email, address)) await this.store.increment(key, windowMs);
  }

  async recordSuccess(email: string, address: string | null): Promise<void> {
    await this.store.clear(this.keys(email, address)[0][0]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }
}
