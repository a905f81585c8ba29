import { attachmentRows } from './attachmentRows';
import { att as ct } from '../../viewer/stack/testAttachments';

// Half-megabyte slices of a contrast chest CT, unless told otherwise.
const att = (over: Parameters<typeof ct>[0]) =>
  ct({
    sizeBytes: 500_000,
    metadata: { modality: 'CT', studyDescription: 'Ngực có thuốc' },
    ...over,
  });

const slice = (uid: string, sliceIndex: number | undefined, sliceCount: number, frames = 1) => ({
  uid,
  studyUid: null,
  instanceNumber: (sliceIndex ?? 0) + 1,
  frames,
  ...(sliceIndex === undefined ? {} : { sliceIndex, sliceCount }),
});

describe('attachmentRows', () => {
  it('lists a 120-slice series as one row, in slice order, with its size and description', () => {
    const pdf = att({ fileName: 'ket-qua.pdf', kind: 'pdf', metadata: {}, sizeBytes: 80_000 });
    // Uploaded shuffled: the list's order is not the slice order.
    const order = Array.from({ length: 120 }, (_, i) => (i * 7) % 120);
    const slices = order.map((i) =>
      att({ fileName: `ct-${i}.dcm`, series: slice('1.2.3', i, 120) }),
    );
    const photo = att({ fileName: 'da.jpg', kind: 'image', metadata: {}, sizeBytes: 1_000 });
    const rows = attachmentRows([pdf, ...slices, photo]);
    expect(rows.map((r) => r.kind)).toEqual(['file', 'series', 'file']);
    const series = rows[1];
    if (series.kind !== 'series') throw new Error('not a series');
    expect(series.members).toHaveLength(120);
    expect(series.members.map((m) => m.fileName).slice(0, 3)).toEqual([
      'ct-0.dcm',
      'ct-1.dcm',
      'ct-2.dcm',
    ]);
    expect(series.anchor.fileName).toBe('ct-0.dcm');
    expect(series.sizeBytes).toBe(120 * 500_000);
    expect(series.description).toBe('CT Ngực có thuốc');
    expect(series.uid).toBe('1.2.3');
  });

  it('keeps single X-rays, multi-frame files and two series of one study apart', () => {
    const xray = att({ fileName: 'xq.dcm', series: slice('9.9', 0, 1) });
    const cine = att({ fileName: 'cine.dcm', series: slice('7.7', 0, 1, 30) });
    const noUid = att({ fileName: 'no-uid.dcm' });
    const a = [0, 1].map((i) => att({ fileName: `a${i}.dcm`, series: slice('1.1', i, 2) }));
    const b = [0, 1, 2].map((i) =>
      att({
        fileName: `b${i}.dcm`,
        series: slice('1.2', i, 3),
        metadata: { modality: 'MR', studyDescription: null },
      }),
    );
    const rows = attachmentRows([xray, a[1], b[2], cine, a[0], noUid, b[0], b[1]]);
    expect(
      rows.map((r) => (r.kind === 'file' ? r.attachment.fileName : `${r.uid}×${r.members.length}`)),
    ).toEqual(['xq.dcm', '1.1×2', '1.2×3', 'cine.dcm', 'no-uid.dcm']);
    const mr = rows[2];
    expect(mr.kind === 'series' && mr.description).toBe('MR');
  });

  it('shows a slice uploaded again (left out of the order by the API) as its own file', () => {
    const s = [0, 1, 2].map((i) => att({ fileName: `s${i}.dcm`, series: slice('4.4', i, 3) }));
    const copy = att({ fileName: 's1-again.dcm', series: slice('4.4', undefined, 3) });
    const rows = attachmentRows([...s, copy]);
    expect(rows).toHaveLength(2);
    expect(rows[0].kind === 'series' && rows[0].members.length).toBe(3);
    expect(rows[1].kind === 'file' && rows[1].attachment.fileName).toBe('s1-again.dcm');
  });
});
