import { COLLAB_LIMITS } from '@caunoi/shared';
import {
  Outbox,
  RESEND_INTERVAL_MS,
  outboxKey,
  type KeyValueStore,
  type OutboxItem,
  type SendOutcome,
} from './outbox';

class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

/** Virtual time: sleeping moves the clock, so pacing is checked without waiting. */
function virtualClock() {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

/** The gateway's token bucket (apps/api event-guard), on the same virtual clock. */
function gateway(clock: { now: () => number }, perSecond: number = COLLAB_LIMITS.eventsPerSecond) {
  let tokens = perSecond;
  let last = clock.now();
  const stored = new Map<string, OutboxItem>();
  const refused: string[] = [];
  const send = async (item: OutboxItem): Promise<SendOutcome> => {
    const now = clock.now();
    tokens = Math.min(perSecond, tokens + ((now - last) / 1000) * perSecond);
    last = now;
    if (tokens < 1) {
      refused.push(item.clientId);
      throw Object.assign(new Error('slow down'), { code: 'rate_limited' });
    }
    tokens -= 1;
    if (!stored.has(item.clientId)) stored.set(item.clientId, item); // stored once per clientId
    return { ok: true, result: { id: `m-${item.clientId}`, ...item.payload } };
  };
  return { send, stored, refused };
}

const KEY = outboxKey('user-1', 'session-1');

describe('collaboration outbox', () => {
  it('keeps unsent items across a reload, per user and session', () => {
    const store = new MemoryStore();
    const clock = virtualClock();
    const a = new Outbox(KEY, store, clock);
    a.add('chat', 'c1', { text: 'một' });
    a.add('annotation', 'a1', { attachmentId: 'x', page: 1, shape: { type: 'text' } });
    a.add('chat', 'c1', { text: 'một' }); // same idempotency key: queued once
    const reloaded = new Outbox(KEY, store, clock);
    expect(reloaded.list().map((i) => i.clientId)).toEqual(['c1', 'a1']);
    expect(reloaded.list('chat')).toHaveLength(1);
    expect(new Outbox(outboxKey('user-2', 'session-1'), store, clock).list()).toEqual([]);
  });

  it('sends a backlog of 200 in order, paced below the gateway limit: none refused', async () => {
    const store = new MemoryStore();
    const clock = virtualClock();
    const box = new Outbox(KEY, store, clock);
    for (let i = 0; i < 200; i++) box.add('chat', `c${i}`, { text: `tin ${i}` });
    const delivered: string[] = [];
    box.subscribe((e) => e.delivered && delivered.push(e.delivered.clientId));
    const gw = gateway(clock);
    const start = clock.now();
    box.attach(gw.send);
    await box.drain();
    expect(gw.refused).toEqual([]);
    expect(delivered).toEqual(Array.from({ length: 200 }, (_, i) => `c${i}`));
    expect(gw.stored.size).toBe(200);
    expect(box.list()).toEqual([]);
    expect(store.getItem(KEY)).toBeNull();
    // Paced: at most a third of the gateway's rate, whatever the backlog.
    const perSecond = 200 / ((clock.now() - start) / 1000);
    expect(perSecond).toBeLessThanOrEqual(COLLAB_LIMITS.eventsPerSecond / 3 + 0.5);
    expect(RESEND_INTERVAL_MS).toBeGreaterThanOrEqual(1000 / COLLAB_LIMITS.eventsPerSecond);
  });

  it('retries an item refused as rate_limited instead of dropping it', async () => {
    const clock = virtualClock();
    const box = new Outbox(KEY, new MemoryStore(), clock);
    for (let i = 0; i < 40; i++) box.add('chat', `c${i}`, { text: String(i) });
    const gw = gateway(clock, 4); // a stricter gateway than ours: some sends are refused
    box.attach(gw.send);
    await box.drain();
    expect(gw.refused.length).toBeGreaterThan(0);
    expect(gw.stored.size).toBe(40);
    expect(box.list()).toEqual([]);
  });

  it('keeps everything while the server is unavailable and sends it once after reattach', async () => {
    const store = new MemoryStore();
    const clock = virtualClock();
    const box = new Outbox(KEY, store, clock);
    const waiting: boolean[] = [];
    box.subscribe((e) => waiting.push(e.waiting));
    let calls = 0;
    box.attach(async () => {
      calls++;
      if (calls >= 3) box.detach(); // the link drops while the database is down
      throw Object.assign(new Error('database unavailable'), { code: 'unavailable' });
    });
    box.add('chat', 'c1', { text: 'giữ lại' });
    box.add('chat', 'c2', { text: 'giữ lại 2' });
    await box.drain();
    await new Promise((r) => setImmediate(r));
    expect(box.list().map((i) => i.clientId)).toEqual(['c1', 'c2']);
    expect(box.isWaiting).toBe(true);
    expect(waiting).toContain(true);
    // Reload while down, then the server is back.
    const again = new Outbox(KEY, store, clock);
    const gw = gateway(clock);
    again.attach(gw.send);
    await again.drain();
    expect([...gw.stored.keys()]).toEqual(['c1', 'c2']);
    expect(again.isWaiting).toBe(false);
  });

  it('drops an item the server refuses for good and says so', async () => {
    const clock = virtualClock();
    const box = new Outbox(KEY, new MemoryStore(), clock);
    const refused: string[] = [];
    box.subscribe((e) => e.refused && refused.push(`${e.refused.item.clientId}:${e.refused.code}`));
    box.add('chat', 'bad', { text: '' });
    box.add('chat', 'good', { text: 'ok' });
    const gw = gateway(clock);
    box.attach(async (item) => {
      if (item.clientId === 'bad')
        throw Object.assign(new Error('text too short'), { code: 'invalid_message' });
      return gw.send(item);
    });
    await box.drain();
    expect(refused).toEqual(['bad:invalid_message']);
    expect([...gw.stored.keys()]).toEqual(['good']);
  });
});
