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
