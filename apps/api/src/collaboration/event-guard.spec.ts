import { payloadBytes, SocketRateLimit } from './event-guard';

describe('SocketRateLimit', () => {
  it('allows a burst up to the limit, then refills at the limit per second', () => {
    let now = 0;
    const limit = new SocketRateLimit(10, () => now);
    expect(Array.from({ length: 12 }, () => limit.take()).filter(Boolean)).toHaveLength(10);
    now += 100; // a tenth of a second buys one more event
    expect(limit.take()).toBe(true);
    expect(limit.take()).toBe(false);
    now += 10_000; // never more than the burst, however long the pause
    expect(Array.from({ length: 12 }, () => limit.take()).filter(Boolean)).toHaveLength(10);
  });
});

describe('payloadBytes', () => {
  it('measures UTF-8 bytes of the JSON form; unmeasurable payloads count as too big', () => {
    expect(payloadBytes({ text: 'ồ' })).toBe(Buffer.byteLength('{"text":"ồ"}'));
    expect(payloadBytes(undefined)).toBe(0);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(payloadBytes(loop)).toBe(Number.POSITIVE_INFINITY);
  });
});
