import { ViewStateSchema } from '@caunoi/shared';
import { clampView, throttle, DEFAULT_VIEW } from './viewSync';

describe('view sync', () => {
  it('clamps to the contract bounds', () => {
    const v = clampView({
      ...DEFAULT_VIEW,
      zoom: 100,
      page: 0,
      pointer: { x: 1.5, y: -1 },
      windowLevel: { center: 40, width: 0 },
    });
    expect(v.zoom).toBe(40);
    expect(v.page).toBe(1);
    expect(v.pointer).toEqual({ x: 1, y: 0 });
    expect(v.windowLevel).toEqual({ center: 40, width: 1 });
    expect('slice' in v).toBe(false);
  });

  it('keeps a stack slice within the contract and passes the schema', () => {
    expect(clampView({ ...DEFAULT_VIEW, slice: 12.4 }).slice).toBe(12);
    expect(clampView({ ...DEFAULT_VIEW, slice: -3 }).slice).toBe(0);
    expect(clampView({ ...DEFAULT_VIEW, slice: 123456 }).slice).toBe(9999);
    const sent = clampView({ ...DEFAULT_VIEW, slice: 57 });
    expect(ViewStateSchema.parse(sent)).toEqual(sent);
    expect(ViewStateSchema.safeParse({ ...DEFAULT_VIEW, slice: 10000 }).success).toBe(false);
    // A follower on an older build sends no slice: still a valid view.
    expect(ViewStateSchema.parse(DEFAULT_VIEW).slice).toBeUndefined();
  });

  it('throttles but always delivers the last value', () => {
    jest.useFakeTimers();
    const seen: number[] = [];
    const t = throttle((v: number) => seen.push(v), 100);
    t.push(1);
    t.push(2);
    t.push(3);
    expect(seen).toEqual([1]);
    jest.advanceTimersByTime(150);
    expect(seen).toEqual([1, 3]);
    jest.useRealTimers();
  });
});
