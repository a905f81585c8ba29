import { ATTENDANCE_CSV_COLUMNS } from '@caunoi/shared';
import type { AttendanceStay } from './training.repository';

/** One person's time in the room: overlapping connections (two tabs, a reconnect) count once. */
export function minutesInRoom(stays: Array<{ joinedAt: Date; leftAt: Date | null }>, now: Date) {
  const spans = stays
    .map((s) => [s.joinedAt.getTime(), (s.leftAt ?? now).getTime()] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = [Number.NaN, Number.NaN];
  for (const [a, b] of spans) {
    if (Number.isNaN(start) || a > end) {
      if (!Number.isNaN(start)) total += end - start;
      [start, end] = [a, b];
    } else end = Math.max(end, b);
  }
  if (!Number.isNaN(start)) total += end - start;
  return Math.round(total / 6_000) / 10;
}

/** A CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet shows text. */
function cell(value: string | number): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const ROLE_ORDER = ['specialist', 'requester', 'coordinator', 'admin'];

/**
 * The attendance report for training credit: one row per person who was in the room, grouped by
 * facility (UTF-8 with a byte-order mark, so spreadsheets show Vietnamese names correctly).
 */
export function attendanceCsv(stays: AttendanceStay[], now: Date): string {
  const byUser = new Map<string, AttendanceStay[]>();
  for (const s of stays) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
  const lines = [ATTENDANCE_CSV_COLUMNS.join(',')];
  for (const own of byUser.values()) {
    const first = own[0]!;
    const open = own.some((s) => !s.leftAt);
    const lastLeft = open ? null : Math.max(...own.map((s) => s.leftAt!.getTime()));
    const role = ROLE_ORDER.find((r) => first.roles.includes(r as never)) ?? first.roles[0] ?? '';
    lines.push(
      [
        first.facilityCode,
        first.facilityName,
        first.fullName,
        role,
        first.joinedAt.toISOString(),
        lastLeft === null ? '' : new Date(lastLeft).toISOString(),
        own.length,
        minutesInRoom(own, now),
      ]
        .map(cell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
