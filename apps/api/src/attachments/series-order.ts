/** What ordering needs of one instance of a series. */
export interface SeriesMember {
  id: string;
  /** SOPInstanceUID: the same slice uploaded twice (or imported after an upload) shows once. */
  sopInstanceUid: string | null;
  instanceNumber: number | null;
  position: number[] | null;
  orientation: number[] | null;
  sliceLocation: number | null;
  /** Upload order, the last tie-breaker. */
  createdAt: Date;
}

function normalOf(o: number[]): [number, number, number] {
  const [rx, ry, rz, cx, cy, cz] = o;
  return [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
}

const byUpload = (a: SeriesMember, b: SeriesMember) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const byInstance = (a: SeriesMember, b: SeriesMember) =>
  (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity) || byUpload(a, b);

/**
 * The slices of a series in viewing order. Files arrive in any order (a browser uploads them in
 * parallel, a PACS sends them as it likes), so the order comes from the headers: the distance of
 * each slice along the slice normal (ImagePositionPatient · (row × column cosines)) when every
 * slice has a position, else SliceLocation when every slice has one, else the instance number.
 * Positions decide the order, the instance numbers only its direction: the scanner's numbering
 * (usually head first) is kept when it agrees with the positions.
 */
export function orderSeries<T extends SeriesMember>(members: T[]): T[] {
  const orientation = members.find((m) => m.orientation?.length === 6)?.orientation;
  let key: ((m: T) => number) | null = null;
  if (orientation && members.every((m) => m.position?.length === 3)) {
    const n = normalOf(orientation);
    key = (m) => m.position![0] * n[0] + m.position![1] * n[1] + m.position![2] * n[2];
  } else if (members.every((m) => m.sliceLocation !== null)) key = (m) => m.sliceLocation!;
  if (!key) return [...members].sort(byInstance);
  const k = key;
  const sorted = [...members].sort((a, b) => k(a) - k(b) || byInstance(a, b));
  const first = sorted[0]?.instanceNumber;
  const last = sorted[sorted.length - 1]?.instanceNumber;
  return first != null && last != null && first > last ? sorted.reverse() : sorted;
}
