import { findSlots, PartyCalendar } from './slot-finder';
import { vietnamMidnight, vietnamWeekday } from './vietnam-time';

const MIN = 60_000;
const vn = (s: string) => Date.parse(`${s}+07:00`);
const weekdays = (from: string, to: string) =>
  [1, 2, 3, 4, 5, 6].map((weekday) => ({
    weekday,
    startMinute: toMin(from),
    endMinute: toMin(to),
  }));
const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const party = (p: Partial<PartyCalendar> = {}): PartyCalendar => ({
  weekly: weekdays('07:00', '17:00'),
  onCall: [],
  leave: [],
  booked: [],
  ...p,
});
const iso = (ms: number) => new Date(ms).toISOString();

describe('Vietnam time (UTC+7, no DST)', () => {
  it('the Vietnam day starts at 17:00 UTC the day before', () => {
    expect(iso(vietnamMidnight(Date.parse('2027-03-01T16:59:00Z')))).toBe(
      '2027-02-28T17:00:00.000Z',
    );
    expect(iso(vietnamMidnight(Date.parse('2027-03-01T17:00:00Z')))).toBe(
      '2027-03-01T17:00:00.000Z',
    );
    // 2027-03-01 is a Monday in Hanoi even at 06:00 local (still Sunday in UTC)
    expect(vietnamWeekday(vietnamMidnight(vn('2027-03-01T06:00:00')))).toBe(1);
  });
});

describe('findSlots', () => {
  const req = (notBefore: string, startBy: string, minutes = 30, limit = 3) => ({
    notBefore: vn(notBefore),
    startBy: vn(startBy),
    durationMs: minutes * MIN,
    stepMs: 15 * MIN,
    limit,
  });

  it('earliest slots inside everyone’s week, on the quarter-hour grid, not overlapping each other', () => {
    const slots = findSlots([party(), party()], req('2027-03-01T06:10:00', '2027-03-03T00:00:00'));
    expect(slots.map((s) => iso(s.start))).toEqual(
      [vn('2027-03-01T07:00:00'), vn('2027-03-01T07:30:00'), vn('2027-03-01T08:00:00')].map(iso),
    );
  });

  it('skips bookings and leave; an on-call evening counts as available', () => {
    const a = party({
      booked: [{ start: vn('2027-03-01T07:00:00'), end: vn('2027-03-01T08:10:00') }],
    });
    const b = party({
      leave: [{ start: vn('2027-03-01T08:00:00'), end: vn('2027-03-01T16:30:00') }],
    });
    // a is free from 08:10, b is on leave 08:00–16:30: the first common half hour is 16:30.
    expect(
      findSlots([a, b], req('2027-03-01T06:00:00', '2027-03-02T00:00:00', 30, 1)).map((s) =>
        iso(s.start),
      ),
    ).toEqual([iso(vn('2027-03-01T16:30:00'))]);
    const night = party({
      weekly: [],
      onCall: [{ start: vn('2027-03-01T19:00:00'), end: vn('2027-03-01T23:00:00') }],
    });
    expect(
      iso(findSlots([night], req('2027-03-01T06:00:00', '2027-03-02T00:00:00', 60, 1))[0].start),
    ).toBe(iso(vn('2027-03-01T19:00:00')));
  });

  it('Sunday has no slots in a Monday–Saturday week; the horizon stops the search', () => {
    expect(findSlots([party()], req('2027-03-07T00:00:00', '2027-03-07T23:00:00'))).toEqual([]);
    // Horizon is the latest start: a 60-minute session may end after it.
    const slots = findSlots([party()], req('2027-03-01T16:00:00', '2027-03-01T16:00:00', 60, 5));
    expect(slots.map((s) => iso(s.start))).toEqual([iso(vn('2027-03-01T16:00:00'))]);
  });

  it('a party without a published week is free whenever it is not booked', () => {
    const site = party({
      weekly: null,
      booked: [{ start: vn('2027-03-01T07:00:00'), end: vn('2027-03-01T07:30:00') }],
    });
    expect(
      iso(
        findSlots([party(), site], req('2027-03-01T06:00:00', '2027-03-02T00:00:00', 30, 1))[0]
          .start,
      ),
    ).toBe(iso(vn('2027-03-01T07:30:00')));
  });
});
