import { element, makeDicom, syntheticPixel } from '@caunoi/test-support';
import { DicomError, openDicom, parseDicomImage, renderWindowLevel } from '.';

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** A Part 10 file around the given dataset elements (explicit VR little endian). */
function part10(dataset: Buffer[]): ArrayBuffer {
  const metaBody = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    element(0x0002, 0x0003, 'UI', '1.2.3.4'),
    element(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1'),
  ]);
  const meta = Buffer.concat([element(0x0002, 0x0000, 'UL', metaBody.length), metaBody]);
  return toArrayBuffer(
    Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, ...dataset]),
  );
}

function image(
  opts: {
    rows: number;
    columns: number;
    frames?: number;
    photometric: string;
    samples: number;
    planar?: number;
  },
  pixels: Buffer,
  extra: Buffer[] = [],
) {
  return part10([
    element(0x0008, 0x0060, 'CS', 'OT'),
    ...(opts.frames ? [element(0x0028, 0x0008, 'IS', String(opts.frames))] : []),
    element(0x0028, 0x0002, 'US', opts.samples),
    element(0x0028, 0x0004, 'CS', opts.photometric),
    ...(opts.samples > 1 ? [element(0x0028, 0x0006, 'US', opts.planar ?? 0)] : []),
    element(0x0028, 0x0010, 'US', opts.rows),
    element(0x0028, 0x0011, 'US', opts.columns),
    element(0x0028, 0x0100, 'US', 8),
    element(0x0028, 0x0101, 'US', 8),
    element(0x0028, 0x0102, 'US', 7),
    element(0x0028, 0x0103, 'US', 0),
    ...extra,
    element(0x7fe0, 0x0010, 'OB', pixels),
  ]);
}

describe('openDicom: header facts, frames on demand', () => {
  it('reads the header facts without decoding, and frame 0 equals the synchronous decode', async () => {
    const buffer = toArrayBuffer(makeDicom({ rows: 20, columns: 30 }));
    const file = await openDicom(buffer);
    expect(file).toMatchObject({
      rows: 20,
      columns: 30,
      frameCount: 1,
      transferSyntax: '1.2.840.10008.1.2.1',
      photometric: 'MONOCHROME2',
      samplesPerPixel: 1,
      bitsAllocated: 16,
      pixelSpacing: null,
      modality: 'DX',
      seriesInstanceUid: '1.2.826.0.1.3680043.10.1234.3',
      sopInstanceUid: '1.2.826.0.1.3680043.10.1234.1.1',
      windows: [{ center: 700, width: 1400 }],
    });
    expect(file).not.toHaveProperty('ds');
    const img = await file.frame(0);
    expect(img.samples).toBe(1);
    expect(img.pixels[5 * 30 + 3]).toBe(syntheticPixel(3, 5, 30, 20));
    expect(img).toEqual(parseDicomImage(buffer));
    await expect(file.frame(1)).rejects.toMatchObject({ code: 'no_pixels' });
  });

  it('lists every VOI window with its explanation, and the pixel spacing (imager spacing as fallback)', async () => {
    const pixels = Buffer.alloc(16, 9);
    const file = await openDicom(
      image({ rows: 4, columns: 4, photometric: 'MONOCHROME1', samples: 1 }, pixels, [
        element(0x0018, 0x1164, 'DS', '0.15\\0.2'),
        element(0x0020, 0x0013, 'IS', '7'),
        element(0x0020, 0x0032, 'DS', '-10.5\\20\\30.25'),
        element(0x0020, 0x1041, 'DS', '30.25'),
        element(0x0028, 0x1050, 'DS', '40\\-600'),
        element(0x0028, 0x1051, 'DS', '400\\1500'),
        element(0x0028, 0x1055, 'LO', 'SOFT\\LUNG'),
      ]),
    );
    expect(file.windows).toEqual([
      { center: 40, width: 400, explanation: 'SOFT' },
      { center: -600, width: 1500, explanation: 'LUNG' },
    ]);
    expect(file.pixelSpacing).toEqual({ row: 0.15, column: 0.2, approximate: true });
    expect(file.instanceNumber).toBe(7);
    expect(file.imagePositionPatient).toEqual([-10.5, 20, 30.25]);
    expect(file.sliceLocation).toBe(30.25);
    const img = await file.frame(0);
    expect(img.invert).toBe(true);
    expect(img.pixelSpacing).toEqual({ row: 0.15, column: 0.2, approximate: true });
    expect(img.window).toEqual({ center: 40, width: 400 });
  });

  it('decodes each frame of native multi-frame data', async () => {
    const frames = [0, 1, 2].map((f) => Buffer.alloc(6 * 5, 10 * f + 1));
    const file = await openDicom(
      image(
        { rows: 5, columns: 6, frames: 3, photometric: 'MONOCHROME2', samples: 1 },
        Buffer.concat(frames),
      ),
    );
    expect(file.frameCount).toBe(3);
    for (const f of [2, 0, 1]) expect([...(await file.frame(f)).pixels]).toEqual([...frames[f]]);
    await expect(file.frame(3)).rejects.toBeInstanceOf(DicomError);
  });

  it('turns planar RGB and YBR_FULL into interleaved RGB and renders it as is by default', async () => {
    const rgb = [200, 10, 40, 0, 255, 128]; // two pixels
    const planar = Buffer.from([200, 0, 10, 255, 40, 128]);
    const img = await (
      await openDicom(
        image({ rows: 1, columns: 2, photometric: 'RGB', samples: 3, planar: 1 }, planar),
      )
    ).frame(0);
    expect(img.samples).toBe(3);
    expect([...img.pixels]).toEqual(rgb);
    const rgba = renderWindowLevel(img, img.window);
    expect([...rgba]).toEqual([200, 10, 40, 255, 0, 255, 128, 255]);
    // Y Cb Cr of pure grey 100 and of pure red 255,0,0 (PS3.3 C.7.6.3.1.2).
    const ybr = Buffer.from([100, 128, 128, 76, 85, 255]);
    const colour = await (
      await openDicom(image({ rows: 1, columns: 2, photometric: 'YBR_FULL', samples: 3 }, ybr))
    ).frame(0);
    expect([...colour.pixels.subarray(0, 3)]).toEqual([100, 100, 100]);
    expect(colour.pixels[3]).toBeGreaterThanOrEqual(253);
    expect(colour.pixels[4]).toBeLessThanOrEqual(2);
    expect(colour.pixels[5]).toBeLessThanOrEqual(2);
  });

  it('refuses a native frame that the pixel data does not hold', async () => {
    const file = await openDicom(
      image(
        { rows: 4, columns: 4, frames: 2, photometric: 'MONOCHROME2', samples: 1 },
        Buffer.alloc(20),
      ),
    );
    await expect(file.frame(0)).resolves.toBeDefined();
    await expect(file.frame(1)).rejects.toMatchObject({ code: 'no_pixels' });
  });
  it('maps PALETTE COLOR through its table (first mapped value, 8-bit entries, clamped ends)', async () => {
    const descriptor = Buffer.from([4, 0, 10, 0, 8, 0]); // 4 entries, first mapped 10, 8 bits
    const lut = (values: number[]) => Buffer.from(values); // 8-bit entries packed as bytes
    const tags = [
      element(0x0028, 0x1101, 'US', descriptor),
      element(0x0028, 0x1102, 'US', descriptor),
      element(0x0028, 0x1103, 'US', descriptor),
      element(0x0028, 0x1201, 'OW', lut([0, 50, 100, 150])),
      element(0x0028, 0x1202, 'OW', lut([1, 2, 3, 4])),
      element(0x0028, 0x1203, 'OW', lut([9, 8, 7, 6])),
    ];
    const pixels = Buffer.from([10, 11, 13, 200, 0, 12]);
    const file = await openDicom(
      image({ rows: 2, columns: 3, photometric: 'PALETTE COLOR', samples: 1 }, pixels, tags),
    );
    expect([file.photometric, file.samplesPerPixel]).toEqual(['PALETTE COLOR', 1]);
    const img = await file.frame(0);
    expect(img.samples).toBe(3);
    expect([...img.pixels]).toEqual([
      ...[0, 1, 9],
      ...[50, 2, 8],
      ...[150, 4, 6],
      ...[150, 4, 6], // past the table: its last entry
      ...[0, 1, 9], // before the first mapped value: the first entry
      ...[100, 3, 7],
    ]);
    await expect(
      openDicom(image({ rows: 2, columns: 3, photometric: 'PALETTE COLOR', samples: 1 }, pixels)),
    ).rejects.toMatchObject({ code: 'unsupported' });
  });
});
