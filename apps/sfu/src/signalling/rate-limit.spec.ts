import { TokenBucket } from './rate-limit';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(50, 100, () => now);
    let allowed = 0;
    for (let i = 0; i < 1000; i++) if (bucket.take()) allowed++;
    expect(allowed).toBe(100);
    now += 1000;
    allowed = 0;
    for (let i = 0; i < 1000; i++) if (bucket.take()) allowed++;
    expect(allowed).toBe(50);
  });
});
