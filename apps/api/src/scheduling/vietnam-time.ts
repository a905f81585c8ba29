/**
 * Asia/Ho_Chi_Minh has been UTC+07:00 all year since 1975 (no daylight saving), so wall-clock
 * availability maps to UTC by a fixed offset. Keeping it a constant (instead of a tz database
 * lookup) makes the expansion trivially correct and fast; change it here if that ever changes.
 */
export const VIETNAM_OFFSET_MS = 7 * 3600_000;
export const DAY_MS = 86400_000;

/** UTC instant of 00:00 Vietnam time on the Vietnam calendar day that contains `at`. */
export function vietnamMidnight(at: number): number {
  return Math.floor((at + VIETNAM_OFFSET_MS) / DAY_MS) * DAY_MS - VIETNAM_OFFSET_MS;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a Vietnam midnight. */
export function vietnamWeekday(midnight: number): number {
  const d = new Date(midnight + VIETNAM_OFFSET_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** "07:30" → 450 */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** 450 → "07:30" */
export function wallTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** "07:00 24/11/2026" in Vietnam time, for messages people read. */
export function vietnamLabel(at: Date | string): string {
  const d = new Date(new Date(at).getTime() + VIETNAM_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} ${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}
