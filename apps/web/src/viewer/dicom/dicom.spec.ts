import fs from 'node:fs';
import path from 'node:path';
import { makeDicom, makeJpegBaselineDicom, syntheticPixel } from '@caunoi/test-support';
import { DicomError, decodeDicomImage, parseDicomImage, renderWindowLevel, windowValue } from '.';

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

describe('DICOM rendering', () => {
  const file = makeDicom({ rows: 64, columns: 48, windowCenter: 700, windowWidth: 1400 });

  it('parses the generated X-ray (preamble, meta, pixel data)', () => {
    expect(file.subarray(128, 132).toString('latin1')).toBe('DICM');
    const img = parseDicomImage(toArrayBuffer(file));
    expect(img.rows).toBe(64);
    expect(img.columns).toBe(48);
    expect(img.window).toEqual({ center: 700, width: 1400 });
    expect(img.modality).toBe('DX');
    expect(img.pixels[10 * 48 + 7]).toBe(syntheticPixel(7, 10, 48, 64));
  });

  it('applies the linear VOI window', () => {
    expect(windowValue(0, 700, 1400)).toBe(0);
    expect(windowValue(1400, 700, 1400)).toBe(255);
    expect(windowValue(700, 700, 1400)).toBeGreaterThanOrEqual(127);
    expect(windowValue(700, 700, 1400)).toBeLessThanOrEqual(128);
    expect(windowValue(-5000, 700, 1400)).toBe(0);
  });

  it('renders RGBA that changes with window/level', () => {
    const img = parseDicomImage(toArrayBuffer(file));
    const a = renderWindowLevel(img, { center: 700, width: 1400 });
    const b = renderWindowLevel(img, { center: 200, width: 200 });
    expect(a.length).toBe(64 * 48 * 4);
    expect(a[3]).toBe(255);
    const centre = (12 * 48 + 30) * 4; // body, off the spine and lungs (≈1200) → white with the narrow low window
    expect(b[centre]).toBe(255);
    expect(a[centre]).toBeLessThan(255);
  });

  it('decodes a JPEG Lossless X-ray (encapsulated pixel data)', () => {
    const file = fs.readFileSync(
      path.join(__dirname, '../../../e2e/fixtures/jpeg-lossless-sel1.dcm'),
    );
    const img = parseDicomImage(toArrayBuffer(file));
    expect([img.rows, img.columns]).toEqual([256, 256]);
    expect(img.pixels.length).toBe(256 * 256);
    // A real image: many distinct grey values, and it renders.
    expect(new Set(img.pixels).size).toBeGreaterThan(100);
    const rgba = renderWindowLevel(img, img.window);
    expect(rgba.some((v, i) => i % 4 === 0 && v > 0 && v < 255)).toBe(true);
  });

  describe('JPEG baseline (.50), decoded by the browser', () => {
    // A baseline JPEG made by our own encoder (libs/test-support), encapsulated in DICOM.
    const { file: jpegFile, jpeg, grey } = makeJpegBaselineDicom({ rows: 40, columns: 56 });
    const g = globalThis as unknown as Record<string, unknown>;
    const saved = { createImageBitmap: g.createImageBitmap, OffscreenCanvas: g.OffscreenCanvas };
    let handed: { bytes: Uint8Array; type: string } | null = null;

    beforeAll(() => {
      // jest has no image decoder: stand in for the browser with one that checks what it is given
      // and "decodes" to the source samples (as RGBA, as a canvas would).
      g.createImageBitmap = async (blob: Blob) => {
        handed = { bytes: new Uint8Array(await blob.arrayBuffer()), type: blob.type };
        return { width: 56, height: 40, close() {} };
      };
      g.OffscreenCanvas = class {
        constructor(
          readonly width: number,
          readonly height: number,
        ) {}
        getContext() {
          return {
            drawImage() {},
            getImageData: (_x: number, _y: number, w: number, h: number) => {
              const data = new Uint8ClampedArray(w * h * 4);
              grey.forEach((v, i) => data.set([v, v, v, 255], i * 4));
              return { data };
            },
          };
        }
      };
    });
    afterAll(() => Object.assign(g, saved));

    it('is a real baseline JPEG (SOF0, standard Huffman tables) in an encapsulated fragment', () => {
      expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
      const sof0 = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
      expect(sof0).toBeGreaterThan(0);
      expect(jpeg.readUInt16BE(sof0 + 5)).toBe(40); // height
      expect(jpeg.readUInt16BE(sof0 + 7)).toBe(56); // width
      expect(jpegFile.includes(Buffer.from('1.2.840.10008.1.2.4.50'))).toBe(true);
    });

    it('the synchronous parser hands it on as compressed (not as raw samples)', () => {
      expect(() => parseDicomImage(toArrayBuffer(jpegFile))).toThrow(DicomError);
      try {
        parseDicomImage(toArrayBuffer(jpegFile));
      } catch (err) {
        expect((err as DicomError).code).toBe('compressed');
      }
    });

    it('extracts the frame byte for byte, decodes it as image/jpeg and keeps the window', async () => {
      const img = await decodeDicomImage(toArrayBuffer(jpegFile));
      expect(handed?.type).toBe('image/jpeg');
      expect(Buffer.from(handed!.bytes.subarray(0, jpeg.length)).equals(jpeg)).toBe(true);
      expect([img.rows, img.columns]).toEqual([40, 56]);
      expect(img.pixels).toEqual(Uint8Array.from(grey));
      expect(img.window).toEqual({ center: 128, width: 256 });
      expect(img.invert).toBe(false);
      const rgba = renderWindowLevel(img, img.window);
      expect(rgba.length).toBe(40 * 56 * 4);
    });
  });

  it('says which compressed syntaxes it cannot read yet', () => {
    const jp2k = makeDicom({ rows: 4, columns: 4, transferSyntax: '1.2.840.10008.1.2.4.90' });
    expect(() => parseDicomImage(toArrayBuffer(jp2k))).toThrow(
      /transfer syntax 1.2.840.10008.1.2.4.90/,
    );
  });

  it('refuses a header that claims a huge image before allocating anything', () => {
    const small = makeDicom({ rows: 4, columns: 4 });
    const setTag = (element: number, value: number) => {
      const at = small.indexOf(Buffer.from([0x28, 0x00, element, 0x00, 0x55, 0x53]));
      expect(at).toBeGreaterThan(0);
      small.writeUInt16LE(value, at + 8);
    };
    setTag(0x10, 60000); // rows
    setTag(0x11, 60000); // columns
    expect(() => parseDicomImage(toArrayBuffer(small))).toThrow(
      expect.objectContaining({ code: 'too_large' }),
    );
  });

  it('refuses a file that is not DICOM', () => {
    expect(() => parseDicomImage(new ArrayBuffer(300))).toThrow();
  });
});
