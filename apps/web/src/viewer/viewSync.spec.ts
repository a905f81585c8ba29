import { clampView, throttle, unwrapView, DEFAULT_VIEW } from './viewSync';

describe('view sync', () => {
  it('unwraps the view whether or not the server wraps it', () => {
    const v = { ...DEFAULT_VIEW, attachmentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', zoom: 2 };
    expect(unwrapView(v).view).toEqual(v);
    expect(unwrapView({ sessionId: 's', view: v, presenterId: 'p' })).toEqual({
      view: v,
      presenterId: 'p',
    });
    expect(unwrapView(null).view).toBeNull();
  });

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
