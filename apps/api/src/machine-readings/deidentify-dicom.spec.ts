import * as dicomParser from 'dicom-parser';
import { deflatedDicom, makeDicom, makeJpegBaselineDicom } from '@caunoi/test-support';
import { deidentifyDicom, NotSendableError } from './deidentify-dicom';

const parse = (b: Buffer) => dicomParser.parseDicom(new Uint8Array(b));

describe('deidentifyDicom', () => {
  it('keeps the image and its geometry, writes no patient, study or free-text tag', async () => {
    const file = makeDicom({ rows: 32, columns: 24, pixelSpacing: [0.2, 0.25] });
    const out = await deidentifyDicom(file, 1 << 20);
    const ds = parse(out.dicom);
    expect(out).toMatchObject({ columns: 24, rows: 32 });
    expect(ds.string('x00280030')).toBe('0.2\\0.25');
    expect(ds.string('x00080060')).toBe('DX');
    expect(ds.string('x00120062')).toBe('YES');
    for (const tag of [
      'x00100010',
      'x00100020',
      'x00100030',
      'x00081030',
      'x00080020',
      'x0020000d',
    ])
      expect(ds.elements[tag]).toBeUndefined();
    const text = out.dicom.toString('latin1');
    for (const s of [
      'NGUYEN',
      'TEST-0001',
      '19600229',
      'CHEST PA',
      '1.2.826.0.1.3680043.10.1234.1.1',
    ])
      expect(text).not.toContain(s);
    // The pixels are byte for byte the original's.
    const src = parse(file).elements.x7fe00010;
    const dst = ds.elements.x7fe00010;
    expect(
      Buffer.compare(
        file.subarray(src.dataOffset, src.dataOffset + src.length),
        out.dicom.subarray(dst.dataOffset, dst.dataOffset + dst.length),
      ),
    ).toBe(0);
  });

  it('keeps encapsulated (JPEG) pixels with their transfer syntax', async () => {
    const { file, jpeg } = makeJpegBaselineDicom({ rows: 16, columns: 16 });
    const out = await deidentifyDicom(file, 1 << 20);
    const ds = parse(out.dicom);
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.4.50');
    expect(out.dicom.includes(jpeg)).toBe(true);
    expect(out.dicom.toString('latin1')).not.toContain('NGUYEN');
  });

  it('reads a deflated data set, inflated off the event loop', async () => {
    // The fixture's data set has rows but no columns: reaching that check means it was inflated
    // and parsed (a failed inflation says "cannot be read").
    await expect(deidentifyDicom(deflatedDicom(4096), 1 << 20)).rejects.toThrow(/no image size/);
  });

  it('refuses what it cannot send safely', async () => {
    const plain = makeDicom();
    await expect(deidentifyDicom(Buffer.from('not dicom'), 1 << 20)).rejects.toThrow(
      NotSendableError,
    );
    // A deflated data set larger than the cap is refused, not inflated.
    await expect(deidentifyDicom(deflatedDicom(4 << 20), 1 << 20)).rejects.toThrow(
      /cannot be read/,
    );
    expect((await deidentifyDicom(plain, 1 << 20)).kept).toContain('x00280010');
  });
});
