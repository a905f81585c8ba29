import { attendanceCsv, minutesInRoom } from './attendance-csv';

const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 2, m));

describe('attendance report', () => {
  it('counts overlapping connections once and an open one until now', () => {
    expect(
      minutesInRoom(
        [
          { joinedAt: at(0), leftAt: at(20) },
          { joinedAt: at(10), leftAt: at(30) },
          { joinedAt: at(40), leftAt: null },
        ],
        at(45),
      ),
    ).toBe(35);
    expect(minutesInRoom([], at(0))).toBe(0);
  });
  it('quotes cells and defuses spreadsheet formulas', () => {
    const csv = attendanceCsv(
      [
        {
          userId: 'u1',
          fullName: '=HYPERLINK("x")',
          roles: ['requester'],
          facilityCode: 'TYT-X1',
          facilityName: 'Trạm Y tế xã 1, Phú Thọ',
          joinedAt: at(0),
          leftAt: at(30),
        },
      ],
      at(60),
    );
    const [, row] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(row).toBe(
      `TYT-X1,"Trạm Y tế xã 1, Phú Thọ","'=HYPERLINK(""x"")",requester,${at(0).toISOString()},${at(30).toISOString()},1,30`,
    );
  });
});
