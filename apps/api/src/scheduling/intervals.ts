/** Half-open time intervals [start, end) in epoch milliseconds, kept sorted and disjoint. */
export interface Interval {
  start: number;
  end: number;
}

/** Sorted, merged (touching intervals join: 07:00–12:00 + 12:00–17:00 is one block). */
export function normalise(list: Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

export function union(...lists: Interval[][]): Interval[] {
  return normalise(lists.flat());
}

/** `from` minus every interval of `remove`. */
export function subtract(from: Interval[], remove: Interval[]): Interval[] {
  const cut = normalise(remove);
  const out: Interval[] = [];
  for (const i of normalise(from)) {
    let start = i.start;
    for (const c of cut) {
      if (c.end <= start || c.start >= i.end) continue;
      if (c.start > start) out.push({ start, end: c.start });
      start = Math.max(start, c.end);
      if (start >= i.end) break;
    }
    if (start < i.end) out.push({ start, end: i.end });
  }
  return out;
}

export function intersect(a: Interval[], b: Interval[]): Interval[] {
  const x = normalise(a);
  const y = normalise(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const start = Math.max(x[i].start, y[j].start);
    const end = Math.min(x[i].end, y[j].end);
    if (end > start) out.push({ start, end });
    if (x[i].end < y[j].end) i++;
    else j++;
  }
  return out;
}

/** True when [start, end) lies entirely inside one interval of the list. */
export function covers(list: Interval[], start: number, end: number): boolean {
  return normalise(list).some((i) => i.start <= start && i.end >= end);
}
