/**
 * Dates and times are stored in UTC and always shown in Asia/Ho_Chi_Minh, whatever the
 * browser's own zone. Vietnam keeps UTC+7 all year (no daylight saving), which lets the
 * date-input helpers below convert with a fixed offset.
 */
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const VN_OFFSET_MINUTES = 7 * 60;

function toDate(value: string | Date | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function parts(d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-GB', {
    timeZone: VN_TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d))
    out[p.type] = p.value;
  return out;
}

/** 24/11/2026 09:30 — the Vietnamese order (day/month/year, 24-hour clock), in both languages. */
export function formatDateTime(
  value: string | Date | number | null | undefined,
  _lang = 'vi',
): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** 24/11/2026 — for instants; a plain YYYY-MM-DD (date of birth) is shown as is, reordered. */
export function formatDate(value: string | Date | null | undefined, _lang = 'vi'): string {
  if (!value) return '—';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** 09:30 */
export function formatTime(value: string | Date | null | undefined, _lang = 'vi'): string {
  if (!value) return '—';
  const d = toDate(value);
  if (Number.isNaN(d.getTime())) return '—';
  const p = parts(d);
  return `${p.hour}:${p.minute}`;
}

/** Wall-clock "YYYY-MM-DDTHH:mm" in Vietnam → ISO instant in UTC. */
export function vnLocalToIso(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) throw new Error(`not a local date-time: ${local}`);
  const utc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) - VN_OFFSET_MINUTES * 60_000;
  return new Date(utc).toISOString();
}

/** ISO instant → wall-clock "YYYY-MM-DDTHH:mm" in Vietnam (for datetime-local inputs). */
export function isoToVnLocal(iso: string | Date): string {
  const d = new Date(toDate(iso).getTime() + VN_OFFSET_MINUTES * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * FullCalendar without a time-zone plugin can only render UTC or the browser's zone. We render
 * it in "UTC" and shift instants by +7 h, so the grid shows Vietnamese wall-clock time.
 */
export function toCalendarDate(iso: string | Date): Date {
  return new Date(toDate(iso).getTime() + VN_OFFSET_MINUTES * 60_000);
}
export function fromCalendarDate(d: Date): Date {
  return new Date(d.getTime() - VN_OFFSET_MINUTES * 60_000);
}

/** Minutes between two instants, never negative. */
export function minutesBetween(from: string | Date, to: string | Date = new Date()): number {
  return Math.max(0, Math.floor((toDate(to).getTime() - toDate(from).getTime()) / 60_000));
}

/** "2 ngày 3 giờ" / "2 d 3 h" from a number of minutes. */
export function formatDuration(totalMinutes: number, lang = 'vi'): string {
  const d = Math.floor(totalMinutes / 1440);
  const h = Math.floor((totalMinutes % 1440) / 60);
  const m = totalMinutes % 60;
  const u = lang.startsWith('en')
    ? { d: 'd', h: 'h', m: 'min' }
    : { d: 'ngày', h: 'giờ', m: 'phút' };
  if (d > 0) return `${d} ${u.d} ${h} ${u.h}`;
  if (h > 0) return `${h} ${u.h} ${m} ${u.m}`;
  return `${m} ${u.m}`;
}

/** A file's size as people read it: 812 B, 40.2 KB, 3.4 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
