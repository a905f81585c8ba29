import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatTime,
  fromCalendarDate,
  isoToVnLocal,
  minutesBetween,
  toCalendarDate,
  vnLocalToIso,
} from './format';

describe('Vietnamese date and time formatting', () => {
  it('shows instants in Asia/Ho_Chi_Minh whatever the runtime zone', () => {
    expect(formatDateTime('2026-11-23T02:30:00Z', 'vi')).toBe('23/11/2026 09:30');
    expect(formatDateTime('2026-11-23T20:15:00Z', 'vi')).toBe('24/11/2026 03:15');
    expect(formatTime('2026-11-23T02:30:00Z', 'vi')).toBe('09:30');
    expect(formatDate('2026-11-23T20:15:00Z', 'vi')).toBe('24/11/2026');
  });

  it('shows a date of birth as day/month/year without shifting it', () => {
    expect(formatDate('1958-03-07')).toBe('07/03/1958');
  });

  it('English also uses Vietnam time, day first', () => {
    expect(formatDateTime('2026-11-23T02:30:00Z', 'en')).toBe('23/11/2026 09:30');
  });

  it('handles missing values', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('nonsense')).toBe('—');
  });

  it('converts wall-clock Vietnam time to UTC and back', () => {
    expect(vnLocalToIso('2026-11-24T09:00')).toBe('2026-11-24T02:00:00.000Z');
    expect(vnLocalToIso('2026-11-24T03:00')).toBe('2026-11-23T20:00:00.000Z');
    expect(isoToVnLocal('2026-11-23T20:00:00.000Z')).toBe('2026-11-24T03:00');
    expect(() => vnLocalToIso('24/11/2026')).toThrow();
  });

  it('shifts calendar dates by +7 h and back', () => {
    const d = new Date('2026-11-24T02:00:00Z');
    expect(toCalendarDate(d).toISOString()).toBe('2026-11-24T09:00:00.000Z');
    expect(fromCalendarDate(toCalendarDate(d)).getTime()).toBe(d.getTime());
  });

  it('formats waiting durations', () => {
    expect(minutesBetween('2026-11-23T00:00:00Z', '2026-11-23T01:30:00Z')).toBe(90);
    expect(minutesBetween('2026-11-23T02:00:00Z', '2026-11-23T01:30:00Z')).toBe(0);
    expect(formatDuration(90, 'vi')).toBe('1 giờ 30 phút');
    expect(formatDuration(3000, 'vi')).toBe('2 ngày 2 giờ');
    expect(formatDuration(5, 'en')).toBe('5 min');
  });
});
