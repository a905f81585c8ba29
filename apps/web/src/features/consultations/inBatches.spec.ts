import { inBatches } from './inBatches';

describe('inBatches', () => {
  it('runs every item with at most `limit` in flight', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await inBatches(
      Array.from({ length: 23 }, (_, i) => i),
      4,
      async (i) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, i % 3));
        done.push(i);
        running--;
      },
    );
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(most).toBe(4);
  });
});
