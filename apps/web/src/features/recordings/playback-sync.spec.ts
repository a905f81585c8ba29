import { clockLabel, needsSeek, PlaybackClock, trackTime } from './playback-sync';

describe('recording playback clock', () => {
  it('places each track at its offset on the time line', () => {
    const track = { startOffset: 2.5, endOffset: 20 };
    expect(trackTime(track, 1)).toBeNull();
    expect(trackTime(track, 2.5)).toBe(0);
    expect(trackTime(track, 12)).toBeCloseTo(9.5);
    expect(trackTime(track, 20)).toBeNull();
  });

  it('re-positions only beyond the allowed drift', () => {
    expect(needsSeek(10, 10.2)).toBe(false);
    expect(needsSeek(10, 10.5)).toBe(true);
  });

  it('runs while playing, stops at the end, seeks within the recording', () => {
    let now = 0;
    const clock = new PlaybackClock(30, () => now);
    clock.play();
    now = 5_000;
    expect(clock.position()).toBeCloseTo(5);
    clock.pause();
    now = 9_000;
    expect(clock.position()).toBeCloseTo(5);
    clock.seek(28);
    clock.play();
    now = 19_000;
    expect(clock.position()).toBe(30);
    clock.seek(-4);
    expect(clock.position()).toBe(0);
  });

  it('labels positions as minutes and seconds', () => {
    expect(clockLabel(65.4)).toBe('1:05');
    expect(clockLabel(3725)).toBe('1:02:05');
  });
});
