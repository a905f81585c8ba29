import type { Logger } from 'pino';
import { AttendanceEventSchema, type AttendanceEvent } from '@caunoi/shared';

export interface AttendanceReporterOptions {
  apiUrl?: string;
  serviceToken?: string;
  /** Events kept while the API is unreachable; the oldest are dropped beyond it. */
  maxQueue?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  onResult?: (result: 'sent' | 'dropped' | 'failed' | 'logged') => void;
}

/**
 * Reports joins and leaves to the API (`POST ${API_URL}/api/internal/attendance`, service bearer
 * token). Fire-and-forget for the caller: events are queued (bounded) and sent in order by one
 * loop with exponential backoff, so a slow or down API never delays signalling.
 * Without API_URL or SFU_SERVICE_TOKEN the events are only logged.
 */
export class AttendanceReporter {
  private queue: AttendanceEvent[] = [];
  private running?: Promise<void>;
  private stopped = false;
  private wake?: () => void;
  readonly opts: Required<Omit<AttendanceReporterOptions, 'apiUrl' | 'serviceToken' | 'onResult'>> &
    AttendanceReporterOptions;

  constructor(
    opts: AttendanceReporterOptions,
    private readonly log: Logger,
  ) {
    this.opts = {
      maxQueue: 1000,
      maxAttempts: 8,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      timeoutMs: 5_000,
      ...opts,
    };
  }

  get enabled(): boolean {
    return !!(this.opts.apiUrl && this.opts.serviceToken);
  }

  get pending(): number {
    return this.queue.length;
  }

  report(event: AttendanceEvent): void {
    const parsed = AttendanceEventSchema.safeParse(event);
    if (!parsed.success) {
      this.log.error(
        { event, issue: parsed.error.issues[0]?.message },
        'attendance event invalid; not sent',
      );
      return;
    }
    if (!this.enabled) {
      this.log.info(
        { attendance: parsed.data },
        'attendance (API_URL/SFU_SERVICE_TOKEN unset: not reported)',
      );
      this.opts.onResult?.('logged');
      return;
    }
    if (this.stopped) return;
    if (this.queue.length >= this.opts.maxQueue) {
      const dropped = this.queue.shift();
      this.log.error({ dropped }, 'attendance queue full; oldest event dropped');
      this.opts.onResult?.('dropped');
    }
    this.queue.push(parsed.data);
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  private async loop(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const event = this.queue[0]!;
      const result = await this.sendWithRetry(event);
      if (this.queue[0] === event) this.queue.shift();
      this.opts.onResult?.(result);
    }
  }

  private async sendWithRetry(event: AttendanceEvent): Promise<'sent' | 'failed'> {
    for (let attempt = 1; attempt <= this.opts.maxAttempts && !this.stopped; attempt++) {
      const outcome = await this.send(event);
      if (outcome === 'ok') return 'sent';
      if (outcome === 'permanent') break;
      const delay = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempt - 1));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay * (0.8 + Math.random() * 0.4));
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
    this.log.error({ attendance: event }, 'attendance event could not be reported; giving up');
    return 'failed';
  }

  private async send(event: AttendanceEvent): Promise<'ok' | 'retry' | 'permanent'> {
    try {
      const res = await fetch(`${this.opts.apiUrl}/api/internal/attendance`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.opts.serviceToken}`,
        },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return 'ok';
      // 4xx other than timeout/rate limit will not get better by retrying.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        this.log.error({ status: res.status, attendance: event }, 'attendance refused by the API');
        return 'permanent';
      }
      this.log.warn({ status: res.status }, 'attendance report failed; will retry');
      return 'retry';
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'attendance report failed; will retry');
      return 'retry';
    }
  }

  /** Wait (bounded) for the queue to drain, then stop. */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.running) {
      await Promise.race([this.running, new Promise((r) => setTimeout(r, timeoutMs))]);
    }
    this.stopped = true;
    this.wake?.();
  }
}
