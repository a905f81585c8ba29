import { clampSlice, documentOptions, stackOf } from './stacks';
import { att } from './testAttachments';

const inSeries = (uid: string, sliceIndex: number, frames = 1) => ({
  uid,
  studyUid: null,
  instanceNumber: sliceIndex + 1,
  frames,
  sliceIndex,
  sliceCount: 3,
});

describe('stacks', () => {
  // Listed in upload order, which is not the slice order.
  const s2 = att({ fileName: 's2.dcm', series: inSeries('1.2', 2) });
  const s0 = att({ fileName: 's0.dcm', series: inSeries('1.2', 0) });
  const pdf = att({ fileName: 'kq.pdf', kind: 'pdf', metadata: {} });
  const s1 = att({ fileName: 's1.dcm', series: inSeries('1.2', 1) });
  const xray = att({ fileName: 'xq.dcm', series: { ...inSeries('9.9', 0), sliceCount: 1 } });
  const cine = att({ fileName: 'cine.dcm', series: { ...inSeries('7.7', 0, 4), sliceCount: 1 } });
  const all = [s2, s0, pdf, s1, xray, cine];

  it('opens any instance of a series as the whole series in slice order, named by its first', () => {
    for (const picked of [s0, s1, s2]) {
      const stack = stackOf(picked, all)!;
      expect(stack.anchorId).toBe(s0.id);
      expect(stack.slices).toEqual([s0, s1, s2].map((a) => ({ attachmentId: a.id, frame: 0 })));
    }
  });

  it('opens a multi-frame file as a stack of its frames; a single image is no stack', () => {
    expect(stackOf(cine, all)?.slices).toEqual(
      [0, 1, 2, 3].map((frame) => ({ attachmentId: cine.id, frame })),
    );
    expect(stackOf(xray, all)).toBeNull();
    expect(stackOf(pdf, all)).toBeNull();
    // Without a series UID the API still says how many frames the file holds.
    const loose = att({ fileName: 'loose.dcm', series: null, frames: 3 });
    expect(stackOf(loose, [...all, loose])).toEqual({
      anchorId: loose.id,
      seriesUid: null,
      slices: [0, 1, 2].map((frame) => ({ attachmentId: loose.id, frame })),
    });
    expect(stackOf(att({ fileName: 'one.dcm', series: null }), all)).toBeNull();
    expect(stackOf(null, all)).toBeNull();
  });

  it('lists a series once, under its first instance, and the other files as they are', () => {
    expect(documentOptions(all)).toEqual([
      { id: s0.id, fileName: 's0.dcm', count: 3, description: 'CT NGUC' },
      { id: pdf.id, fileName: 'kq.pdf', count: null, description: null },
      { id: xray.id, fileName: 'xq.dcm', count: null, description: null },
      { id: cine.id, fileName: 'cine.dcm', count: null, description: null },
    ]);
  });

  it('names a series by its description, with the modality unless the description has it', () => {
    const mr = (i: number) =>
      att({
        fileName: `mr${i}.dcm`,
        metadata: { modality: 'MR', studyDescription: 'Sọ não' },
        series: inSeries('5.5', i),
      });
    expect(documentOptions([mr(0), mr(1)])[0].description).toBe('MR Sọ não');
    const bare = [0, 1].map((i) =>
      att({ fileName: `b${i}.dcm`, metadata: {}, series: inSeries('6.6', i) }),
    );
    expect(documentOptions(bare)[0]).toMatchObject({ description: null, fileName: 'b0.dcm' });
  });

  it('leaves a repeated slice the API did not place out of the stack, as an ordinary file', () => {
    const again = att({
      fileName: 's1-again.dcm',
      series: { ...inSeries('1.2', 0), sliceIndex: undefined, sliceCount: undefined },
    });
    const withCopy = [...all, again];
    expect(stackOf(s2, withCopy)!.slices.map((x) => x.attachmentId)).toEqual([s0.id, s1.id, s2.id]);
    expect(stackOf(again, withCopy)).toBeNull();
    expect(documentOptions(withCopy).map((o) => o.fileName)).toEqual([
      's0.dcm',
      'kq.pdf',
      'xq.dcm',
      'cine.dcm',
      's1-again.dcm',
    ]);
  });

  it('keeps the slice inside the stack', () => {
    expect(clampSlice(undefined, 120)).toBe(0);
    expect(clampSlice(119, 120)).toBe(119);
    expect(clampSlice(500, 120)).toBe(119);
    expect(clampSlice(-1, 120)).toBe(0);
    expect(clampSlice(3, 0)).toBe(0);
  });
});
