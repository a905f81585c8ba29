import { orderSeries, type SeriesMember } from './series-order';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, s));
const member = (id: string, over: Partial<SeriesMember>, uploadedAt = 0): SeriesMember => ({
  id,
  sopInstanceUid: null,
  instanceNumber: null,
  position: null,
  orientation: null,
  sliceLocation: null,
  createdAt: at(uploadedAt),
  ...over,
});
const AXIAL = [1, 0, 0, 0, 1, 0];
const ids = (list: SeriesMember[]) => list.map((m) => m.id);

describe('orderSeries', () => {
  it('orders by position along the slice normal, whatever the upload order', () => {
    const shuffled = [30, 10, 50, 20, 40].map((z, i) =>
      member(`z${z}`, { position: [-100, -100, z], orientation: AXIAL }, i),
    );
    expect(ids(orderSeries(shuffled))).toEqual(['z10', 'z20', 'z30', 'z40', 'z50']);
  });

  it('projects on the normal of an oblique or sagittal stack, not on z', () => {
    // Sagittal: rows along y, columns along -z; the slices differ only in x.
    const sagittal = [0, 1, 0, 0, 0, -1];
    const list = [5, -5, 0].map((x, i) =>
      member(`x${x}`, { position: [x, 20, 100 - i], orientation: sagittal }, i),
    );
    // normal = (1,0,0)×... = row × column = (0,1,0)×(0,0,-1) = (-1, 0, 0): larger x comes first.
    expect(ids(orderSeries(list))).toEqual(['x5', 'x0', 'x-5']);
  });

  it('keeps the scanner numbering direction when it runs against the positions', () => {
    const headFirst = [0, 10, 20].map((z, i) =>
      member(`z${z}`, { position: [0, 0, z], orientation: AXIAL, instanceNumber: 3 - i }, i),
    );
    expect(ids(orderSeries(headFirst))).toEqual(['z20', 'z10', 'z0']);
  });

  it('falls back to slice location, then to instance number, then to upload order', () => {
    const byLocation = [member('b', { sliceLocation: 2 }), member('a', { sliceLocation: -1 })];
    expect(ids(orderSeries(byLocation))).toEqual(['a', 'b']);
    const partial = [
      member('p3', { instanceNumber: 3, position: [0, 0, 1], orientation: AXIAL }),
      member('p1', { instanceNumber: 1 }),
      member('none', {}, 0),
      member('p2', { instanceNumber: 2, sliceLocation: 9 }),
    ];
    expect(ids(orderSeries(partial))).toEqual(['p1', 'p2', 'p3', 'none']);
    expect(ids(orderSeries([member('late', {}, 5), member('early', {}, 1)]))).toEqual([
      'early',
      'late',
    ]);
  });
});
