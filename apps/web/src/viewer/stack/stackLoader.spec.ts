import type { DicomFile, DicomImage } from '../dicom';
import { StackLoader } from './stackLoader';
import type { StackSlice } from './stacks';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Fetches that resolve when the test says so, and files whose frames are tagged with their slice. */
function harness(slices: StackSlice[], options = {}) {
  const pending = new Map<string, (ok: boolean) => void>();
  const fetched: string[] = [];
  const decoded: string[] = [];
  let changes = 0;
  const image = (bytes: number): DicomImage => ({
    rows: 1,
    columns: bytes / 2,
    pixels: new Uint16Array(bytes / 2),
    samples: 1,
    slope: 1,
    intercept: 0,
    window: { center: 0, width: 1 },
    invert: false,
    pixelSpacing: null,
  });
  const loader = new StackLoader(
    slices,
    (id) =>
      new Promise<ArrayBuffer>((resolve, reject) => {
        fetched.push(id);
        pending.set(id, (ok) => (ok ? resolve(new ArrayBuffer(8)) : reject(new Error('net'))));
      }),
    async () =>
      ({
        frameCount: 1,
        windows: [],
        frame: async (i: number) => {
          decoded.push(String(i));
          return image(1000);
        },
      }) as unknown as DicomFile,
    () => changes++,
    options,
  );
  const answer = async (id: string, ok = true) => {
    pending.get(id)!(ok);
    pending.delete(id);
    for (let i = 0; i < 5; i++) await tick();
  };
  return { loader, fetched, decoded, answer, pending, changes: () => changes };
}

const series = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ attachmentId: `a${i}`, frame: 0 }));

describe('StackLoader', () => {
  it('fetches the shown slice first, then outward, never more than 4 at once', async () => {
    const h = harness(series(120));
    h.loader.focus(60);
    expect(h.fetched).toEqual(['a60', 'a61', 'a59', 'a62']);
    expect(h.loader.state(60)).toBe('loading');
    expect(h.loader.image(60)).toBeNull();
    await h.answer('a60');
    expect(h.loader.state(60)).toBe('ready');
    expect(h.loader.image(60)).not.toBeNull();
    expect(h.loader.loaded).toBe(1);
    expect(h.fetched).toHaveLength(5);
    expect(h.pending.size).toBe(4);
    expect(h.changes()).toBeGreaterThan(0);
  });

  it('follows the viewer: a jump puts the new neighbourhood first', async () => {
    const h = harness(series(120));
    h.loader.focus(0);
    expect(h.fetched).toEqual(['a0', 'a1', 'a2', 'a3']);
    h.loader.focus(100);
    await h.answer('a0');
    expect(h.fetched[4]).toBe('a100');
    await h.answer('a1');
    expect(h.fetched[5]).toBe('a101');
  });

  it('marks a slice whose file failed, keeps going, and retries on demand', async () => {
    const h = harness(series(3));
    h.loader.focus(0);
    await h.answer('a0', false);
    expect(h.loader.state(0)).toBe('failed');
    await h.answer('a1');
    await h.answer('a2');
    expect(h.loader.loaded).toBe(2);
    h.loader.retry(0);
    await h.answer('a0');
    expect(h.loader.loaded).toBe(3);
  });

  it('fetches a multi-frame file once and decodes each frame', async () => {
    const frames = Array.from({ length: 6 }, (_, frame) => ({ attachmentId: 'cine', frame }));
    const h = harness(frames);
    h.loader.focus(0);
    await h.answer('cine');
    expect(h.fetched).toEqual(['cine']);
    expect(h.loader.loaded).toBe(6);
    expect(h.decoded.sort()).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('keeps decoded pixels within the budget, nearest to the screen, without refetch churn', async () => {
    const h = harness(series(20), { budgetBytes: 5000, concurrency: 1 });
    h.loader.focus(10);
    for (let i = 0; i < 30 && h.pending.size; i++) await h.answer([...h.pending.keys()][0]);
    expect(h.pending.size).toBe(0);
    expect(h.loader.loaded).toBe(5);
    const kept = Array.from({ length: 20 }, (_, i) => i).filter((i) => h.loader.image(i));
    expect(kept).toEqual([8, 9, 10, 11, 12]);
    expect(h.fetched.length).toBeLessThan(10);
  });
});
