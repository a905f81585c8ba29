import Redis from 'ioredis';

interface Logger {
  warn(message: string): void;
  log(message: string): void;
}

/** The subscriber's fire-and-forget commands the socket.io adapter issues without a catch. */
const SUBSCRIBER_COMMANDS = ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const;

/**
 * The two connections of the socket.io Redis adapter, made safe for an outage of Redis.
 *
 * Redis only carries what crosses API instances; each instance keeps serving its own clients
 * without it. The adapter, though, fires its publishes and (un)subscriptions without handling a
 * failure, so while Redis is away every chat message would leave an unhandled rejection behind,
 * and fetchSockets would wait for retries before failing. Here:
 * - while the link is lost, a publish answers "nobody listened" at once (the message still
 *   reaches this instance's clients; the other instances cannot be reached anyway);
 * - every fire-and-forget command gets a handler, so a failure is logged once, not thrown;
 * - the subscriber queues its subscriptions until Redis is reachable (also when it is down at
 *   start-up), and ioredis re-subscribes after every reconnect;
 * - `lost` tells the gateway to answer presence from its own sockets;
 * - `close` never waits on a connection that is not there.
 */
export class RedisLink {
  readonly pub: Redis;
  readonly sub: Redis;
  private down = false;

  constructor(url: string, log: Logger) {
    this.pub = new Redis(url, { maxRetriesPerRequest: 1 });
    this.sub = new Redis(url, { maxRetriesPerRequest: null });
    for (const c of [this.pub, this.sub]) {
      c.on('error', (err: Error) => {
        if (this.down) return;
        this.down = true;
        log.warn(`redis: ${err.message}; collaboration stays on this instance until it is back`);
      });
      c.on('ready', () => {
        if (!this.down || this.pub.status !== 'ready' || this.sub.status !== 'ready') return;
        this.down = false;
        log.log('redis: reachable again; collaboration spans the instances');
      });
    }
    const publish = this.pub.publish.bind(this.pub) as (c: string, m: string) => Promise<number>;
    (this.pub as unknown as { publish: typeof publish }).publish = (channel, message) => {
      if (this.lost) return Promise.resolve(0);
      return handled(publish(channel, message));
    };
    for (const name of SUBSCRIBER_COMMANDS) {
      const command = (this.sub[name] as (...a: unknown[]) => Promise<unknown>).bind(this.sub);
      (this.sub as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
        handled(command(...args));
    }
  }

  /** True while either connection is not usable: presence and publishes stay local. */
  get lost(): boolean {
    return this.pub.status !== 'ready' || this.sub.status !== 'ready';
  }

  async close(): Promise<void> {
    await Promise.all(
      [this.pub, this.sub].map(async (c) => {
        if (c.status !== 'ready') return c.disconnect();
        const quit = c.quit().catch(() => undefined);
        const timer = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
        await Promise.race([quit, timer]);
        c.disconnect();
      }),
    );
  }
}

/** The same promise, marked as handled: the caller may still await it and see the failure. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
