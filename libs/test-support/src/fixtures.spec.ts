import {
  chestXrayDicom,
  chromiumArgs,
  deflatedDicom,
  makeDicom,
  makeJpegBaselineDicom,
  makePdf,
} from '@caunoi/test-support';

/** Offset and length of the first element with this tag after the preamble. */
function findTag(file: Buffer, group: number, elem: number): number {
  const tag = Buffer.alloc(4);
  tag.writeUInt16LE(group, 0);
  tag.writeUInt16LE(elem, 2);
  return file.indexOf(tag, 132);
}

describe('test kit', () => {
  it('builds PDFs whose cross-reference table points at each object', () => {
    const pdf = makePdf('Kết quả (test) \\ CRP 48').toString('latin1');
    const startxref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...pdf.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((o, i) => expect(pdf.slice(o, o + 8)).toBe(`${i + 1} 0 obj\n`));
  });

  it('builds DICOM Part 10 files with a correct meta group length', () => {
    for (const file of [makeDicom(), chestXrayDicom(), makeJpegBaselineDicom().file]) {
      expect(file.toString('latin1', 128, 132)).toBe('DICM');
      const groupLength = file.readUInt32LE(140);
      const metaEnd = 144 + groupLength;
      expect(file.readUInt16LE(metaEnd)).not.toBe(0x0002);
      expect(file.readUInt16LE(metaEnd - 0)).toBeGreaterThan(0x0002);
    }
    const big = makeDicom({ rows: 16, columns: 8 });
    expect(big.readUInt16LE(findTag(big, 0x0028, 0x0010) + 8)).toBe(16);
    expect(big.readUInt16LE(findTag(big, 0x0028, 0x0011) + 8)).toBe(8);
    expect(chestXrayDicom({ sopInstanceUid: '1.2.3' }).includes('1.2.3')).toBe(true);
    expect(deflatedDicom(1 << 20).length).toBeLessThan(10_000);
  });

  it('wraps a baseline JPEG that starts with SOI and ends with EOI', () => {
    const { jpeg, grey } = makeJpegBaselineDicom({ rows: 16, columns: 16 });
    expect(grey).toHaveLength(256);
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
  });

  it('expresses the suites’ Chromium differences as options', () => {
    const plain = chromiumArgs();
    expect(plain).toContain('--use-fake-device-for-media-stream');
    expect(plain.some((a) => a.startsWith('--force-fieldtrials'))).toBe(false);
    expect(chromiumArgs({ allSimulcastLayers: true })).toContain(
      '--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/',
    );
    expect(chromiumArgs({ autoplay: true })).toContain(
      '--autoplay-policy=no-user-gesture-required',
    );
  });
});
