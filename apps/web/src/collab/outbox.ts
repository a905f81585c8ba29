import { COLLAB_LIMITS } from '@caunoi/shared';

/**
 * What a participant sent that the server has not acknowledged yet (chat lines, annotations).
 * Each item carries its clientId, the idempotency key the gateway stores it under, so sending it
 * again after a reconnect or a reload stores it once. Items live in localStorage per user and
 * session, so a reload keeps them; they are sent in order, paced below the gateway's per-socket
 * limit, so a long backlog is never refused as `rate_limited`.
 */
export type OutboxKind = 'chat' | 'annotation';

export interface OutboxItem {
  kind: OutboxKind;
  clientId: string;
  /** The event's payload without sessionId (added when sent). */
  payload: Record<string, unknown>;
  at: string;
}

/** What sending one item came to. */
export type SendOutcome =
  | { ok: true; result: unknown }
  /** Refused for good (invalid, forbidden, too big…): drop it, resending cannot help. */
  | { ok: false; retry: false; code: string }
  /** Not now (rate limited, server or database unavailable, no answer): keep it and wait. */
  | { ok: false; retry: true; code: string; waitMs?: number };

export type Sender = (item: OutboxItem) => Promise<SendOutcome>;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * One send every `1000 / (limit / 3)` ms: a third of the gateway's events per second, which leaves
 * room for the presenter's view updates (throttled to ~14/s) on the same socket.
 */
export const RESEND_INTERVAL_MS = Math.ceil(1000 / (COLLAB_LIMITS.eventsPerSecond / 3));
/** Wait after a `rate_limited` refusal: the gateway's bucket refills fully within a second. */
export const RATE_LIMITED_WAIT_MS = 1000;

/** Wait before trying again after the server said it is unavailable (database outage…). */
export const UNAVAILABLE_RETRY_MS = 3000;

/** Codes after which the same item may succeed later. */
const RETRYABLE = new Set(['rate_limited', 'unavailable', 'internal', 'timeout', 'disconnected']);

/** Maps an ack error (or a socket.io timeout) to an outcome. */
export function outcomeOfError(err: unknown): Extract<SendOutcome, { ok: false }> {
  const code = (err as { code?: string })?.code;
  if (code === 'rate_limited')
    return { ok: false, retry: true, code, waitMs: RATE_LIMITED_WAIT_MS };
  if (!code) return { ok: false, retry: true, code: 'timeout' };
  if (RETRYABLE.has(code)) return { ok: false, retry: true, code };
  return { ok: false, retry: false, code };
}

export const outboxKey = (userId: string, sessionId: string) =>
  `caunoi.collab.outbox.${userId}.${sessionId}`;

export interface OutboxEvent {
  items: OutboxItem[];
  /** The server could not take the first item just now; it is being retried. */
  waiting: boolean;
  delivered?: OutboxItem;
  result?: unknown;
  /** Refused for good and dropped, with the gateway's code. */
  refused?: { item: OutboxItem; code: string };
}
type Listener = (event: OutboxEvent) => void;

export class Outbox {
  private items: OutboxItem[];
  private readonly listeners = new Set<Listener>();
  private sender: Sender | null = null;
  private running: Promise<void> | null = null;
  private lastSendAt = -Infinity;
  private waiting = false;

  constructor(
    private readonly key: string,
    private readonly store: KeyValueStore | null,
    private readonly clock: {
      now: () => number;
      sleep: (ms: number) => Promise<void>;
    } = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
  ) {
    this.items = this.load();
  }

  /** True while the server refuses for now (unavailable) and the queue is being retried. */
  get isWaiting(): boolean {
    return this.waiting;
  }

  list(kind?: OutboxKind): OutboxItem[] {
    return kind ? this.items.filter((i) => i.kind === kind) : [...this.items];
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Queues an item (kept across reloads) and sends it when a sender is attached. */
  add(kind: OutboxKind, clientId: string, payload: Record<string, unknown>): OutboxItem {
    const item = { kind, clientId, payload, at: new Date(this.clock.now()).toISOString() };
    if (!this.items.some((i) => i.clientId === clientId)) {
      this.items.push(item);
      this.changed();
    }
    void this.drain();
    return item;
  }

  /** The link is usable (connected and in the session room): send what is queued. */
  attach(sender: Sender): void {
    this.sender = sender;
    void this.drain();
  }

  /** The link is down: keep everything until the next attach. */
  detach(): void {
    this.sender = null;
  }

  /**
   * Sends the queue in order, one at a time and paced; stops at the first item that cannot go
   * now (it stays first). Resolves when the queue is empty or sending has to wait.
   */
  drain(): Promise<void> {
    if (!this.running && this.sender && this.items.length) {
      this.running = this.run().finally(() => {
        this.running = null;
        // An item added while the last send was settling.
        if (this.sender && this.items.length) void this.drain();
      });
    }
    return this.running ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    while (this.sender && this.items.length) {
      const sender = this.sender;
      const wait = this.lastSendAt + RESEND_INTERVAL_MS - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      const item = this.items[0];
      this.lastSendAt = this.clock.now();
      const outcome = await sender(item).catch((err) => outcomeOfError(err));
      if (outcome.ok || !outcome.retry) {
        this.setWaiting(false);
        if (outcome.ok) this.remove(item, { delivered: item, result: outcome.result });
        else this.remove(item, { refused: { item, code: outcome.code } });
      } else if (outcome.waitMs) {
        await this.clock.sleep(outcome.waitMs);
      } else {
        // Unavailable or no answer: try again while the link stays up; a reconnect re-attaches.
        this.setWaiting(true);
        await this.clock.sleep(UNAVAILABLE_RETRY_MS);
      }
    }
  }

  private setWaiting(waiting: boolean): void {
    if (this.waiting === waiting) return;
    this.waiting = waiting;
    this.changed();
  }

  private remove(item: OutboxItem, extra: Partial<OutboxEvent>): void {
    this.items = this.items.filter((i) => i.clientId !== item.clientId);
    this.changed(extra);
  }

  private changed(extra: Partial<OutboxEvent> = {}): void {
    try {
      if (this.items.length) this.store?.setItem(this.key, JSON.stringify(this.items));
      else this.store?.removeItem(this.key);
    } catch {
      /* storage full or private mode: the queue still works in memory */
    }
    const items = [...this.items];
    for (const l of this.listeners) l({ items, waiting: this.waiting, ...extra });
  }

  private load(): OutboxItem[] {
    try {
      const raw = this.store?.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed)
        ? parsed.filter(
            (i): i is OutboxItem =>
              !!i &&
              (i.kind === 'chat' || i.kind === 'annotation') &&
              typeof i.clientId === 'string' &&
              typeof i.payload === 'object',
          )
        : [];
    } catch {
      return [];
    }
  }
}

const outboxes = new Map<string, Outbox>();

/** The one outbox of a user in a session, shared by the chat and the annotation hooks. */
export function sessionOutbox(userId: string, sessionId: string): Outbox {
  const key = outboxKey(userId, sessionId);
  let box = outboxes.get(key);
  if (!box) {
    box = new Outbox(key, globalThis.localStorage ?? null);
    outboxes.set(key, box);
  }
  return box;
}
