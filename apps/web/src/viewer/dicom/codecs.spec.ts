import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { makeDicom, syntheticPixel } from '@caunoi/test-support';
import { MAX_INFLATED_BYTES, openDicom } from '.';
import { decodeRle } from './codecs/rle';
import type { DicomHeader } from './header';

/** Refusals: every codec checks sizes and bounds before trusting what a file says. */
const toArrayBuffer = (b: Buffer) =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const corpus = (file: string) => fs.readFileSync(path.join(__dirname, 'corpus', file));

/** makeDicom's file with its dataset deflated (plus `tail` zero bytes, for a deflate bomb). */
function deflated(tail = 0): ArrayBuffer {
  const file = makeDicom({ rows: 16, columns: 16, transferSyntax: '1.2.840.10008.1.2.1.99' });
  const start = 132 + 12 + file.readUInt32LE(132 + 8); // preamble, DICM, meta group length + meta
  const dataset = Buffer.concat([file.subarray(start), Buffer.alloc(tail)]);
  return toArrayBuffer(Buffer.concat([file.subarray(0, start), deflateRawSync(dataset)]));
}

describe('deflated explicit VR little endian', () => {
  it('inflates and decodes', async () => {
    const img = await (await openDicom(deflated())).frame(0);
    expect(img.pixels[3 * 16 + 5]).toBe(syntheticPixel(5, 3, 16, 16));
  });

  it('refuses to inflate past the cap (a deflate bomb)', async () => {
    const bomb = deflated(16 * 1024 * 1024); // 16 MB of zeros in ~16 kB
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    await expect(openDicom(bomb, { maxInflatedBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'too_large',
    });
    expect(MAX_INFLATED_BYTES).toBe(64 * 1024 * 1024); // as the API's MAX_DICOM_INFLATED_BYTES
  });

  it('calls corrupt deflate data not DICOM', async () => {
    const bytes = new Uint8Array(deflated());
    bytes.fill(0xff, bytes.length - 200);
    await expect(openDicom(bytes.buffer)).rejects.toMatchObject({ code: 'not_dicom' });
  });
});

describe('RLE lossless (PS3.5 Annex G)', () => {
  const header = (over: Partial<DicomHeader> = {}) =>
    ({ rows: 2, columns: 3, bitsAllocated: 8, samplesPerPixel: 1, ...over }) as DicomHeader;
  const fragment = (segments: number[][]) => {
    const head = Buffer.alloc(64);
    head.writeUInt32LE(segments.length, 0);
    let at = 64;
    segments.forEach((s, i) => {
      head.writeUInt32LE(at, 4 + 4 * i);
      at += s.length;
    });
    return new Uint8Array(Buffer.concat([head, ...segments.map((s) => Buffer.from(s))]));
  };

  it('decodes literal and replicate runs, high byte segment first', () => {
    // 6 pixels: literal [1,2] then 4 × 9; 16-bit: high bytes all 1 (replicate), low as before.
    expect([...decodeRle(header(), fragment([[1, 1, 2, 253, 9]])).samples]).toEqual([
      1, 2, 9, 9, 9, 9,
    ]);
    const wide = decodeRle(
      header({ bitsAllocated: 16 }),
      fragment([
        [251, 1],
        [1, 1, 2, 253, 9],
      ]),
    );
    expect([...wide.samples]).toEqual([257, 258, 265, 265, 265, 265]);
  });

  it('refuses a wrong segment count, an offset outside the fragment and a short segment', () => {
    expect(() =>
      decodeRle(
        header(),
        fragment([
          [251, 1],
          [251, 1],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'not_dicom' }));
    const outside = fragment([[251, 1]]);
    new DataView(outside.buffer).setUint32(4, 5000, true);
    expect(() => decodeRle(header(), outside)).toThrow(
      expect.objectContaining({ code: 'not_dicom' }),
    );
    expect(() => decodeRle(header(), fragment([[252, 1]]))).toThrow(/short by 1 byte/);
    expect(() => decodeRle(header(), new Uint8Array(10))).toThrow(/header missing/);
  });
});

describe('compressed streams are measured before decoding', () => {
  const patched = (
    file: string,
    marker: number[],
    offset: number,
    value: number,
    wide: boolean,
  ) => {
    const b = corpus(file);
    const at = b.indexOf(Buffer.from(marker));
    expect(at).toBeGreaterThan(0);
    if (wide) b.writeUInt32BE(value, at + offset);
    else b.writeUInt16BE(value, at + offset);
    return toArrayBuffer(b);
  };

  it('refuses a JPEG 2000 stream that claims a huge image, or another size than the header', async () => {
    const huge = patched('mono8.j2k.dcm', [0xff, 0x4f, 0xff, 0x51], 8, 40000, true);
    await expect((await openDicom(huge)).frame(0)).rejects.toMatchObject({ code: 'too_large' });
    const other = patched('mono8.j2k.dcm', [0xff, 0x4f, 0xff, 0x51], 8, 60, true);
    await expect((await openDicom(other)).frame(0)).rejects.toThrow(
      /stream is 60×64, header says 64×64/,
    );
  });

  it('refuses the same for JPEG-LS and lossless JPEG', async () => {
    const ls = patched('mono8.jpegls.dcm', [0xff, 0xf7], 7, 40000, false);
    await expect((await openDicom(ls)).frame(0)).rejects.toMatchObject({ code: 'too_large' });
    const jpeg = patched('mono8.jpeg-lossless.dcm', [0xff, 0xc3], 7, 50, false);
    await expect((await openDicom(jpeg)).frame(0)).rejects.toThrow(/stream is 50×64/);
  });

  it('refuses a multi-frame index past the last frame', async () => {
    const file = await openDicom(toArrayBuffer(corpus('mf3.j2k.dcm')));
    await expect(file.frame(3)).rejects.toMatchObject({ code: 'no_pixels' });
    await expect(file.frame(-1)).rejects.toMatchObject({ code: 'no_pixels' });
  });
});
