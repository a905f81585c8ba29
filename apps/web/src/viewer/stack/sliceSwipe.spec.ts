import { SliceSwipe, SliceTarget, SWIPE_STEP } from './sliceSwipe';

describe('SliceSwipe', () => {
  it('moves one slice per step of vertical travel of one finger, up = next, down = back', () => {
    const s = new SliceSwipe();
    expect(s.down(1, 500)).toBe(true);
    expect(s.move(1, 500 - SWIPE_STEP + 1)).toEqual({ own: true, steps: 0 });
    // Travel adds up: the remainder of the first move counts towards the next slice.
    expect(s.move(1, 500 - 3 * SWIPE_STEP)).toEqual({ own: true, steps: 3 });
    expect(s.move(1, 500 + SWIPE_STEP)).toEqual({ own: true, steps: -4 });
    expect(s.up(1)).toBe(true);
  });

  it('hands a second finger to the stage (two fingers pan) and keeps the first one out of it', () => {
    const s = new SliceSwipe();
    s.down(1, 400);
    expect(s.down(2, 420)).toBe(false);
    expect(s.move(2, 300)).toEqual({ own: false, steps: 0 });
    // The first finger is still the swipe's (the stage never saw it), but moves no slice.
    expect(s.move(1, 100)).toEqual({ own: true, steps: 0 });
    expect(s.up(1)).toBe(true);
    expect(s.up(2)).toBe(false);
    // Every finger lifted: the next touch swipes again.
    expect(s.down(3, 200)).toBe(true);
    expect(s.move(3, 200 - 2 * SWIPE_STEP).steps).toBe(2);
  });

  it('does not resume swiping when the second finger lifts first', () => {
    const s = new SliceSwipe();
    s.down(1, 400);
    s.down(2, 400);
    s.up(2);
    expect(s.move(1, 400 - 5 * SWIPE_STEP)).toEqual({ own: true, steps: 0 });
  });
});

describe('the slice asked for', () => {
  it('steps on from the last one asked for while the screen still shows an older slice', () => {
    const target = new SliceTarget();
    target.shown(0);
    // Five moves of one slice each before any re-render: 1, 2, 3, 4, 5 — not 1 five times.
    expect([1, 1, 1, 1, 1].map((d) => target.step(d, 120))).toEqual([1, 2, 3, 4, 5]);
  });

  it('stays within the stack, and starts again from a slice shown meanwhile', () => {
    const target = new SliceTarget();
    target.shown(2);
    expect(target.step(-10, 120)).toBe(0);
    expect(target.step(1, 120)).toBe(1);
    expect(target.step(Infinity, 120)).toBe(119);
    target.shown(40); // another site drove the shared viewer
    expect(target.step(-1, 120)).toBe(39);
  });
});
