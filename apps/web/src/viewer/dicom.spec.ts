import fs from 'node:fs';
import path from 'node:path';
import { makeDicom, syntheticPixel } from '../../e2e/support/fixtures';
import { parseDicomImage, renderWindowLevel, windowValue } from './dicom';

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
    const file = fs.readFileSync(path.join(__dirname, '../../e2e/fixtures/jpeg-lossless-sel1.dcm'));
    const img = parseDicomImage(toArrayBuffer(file));
    expect([img.rows, img.columns]).toEqual([256, 256]);
    expect(img.pixels.length).toBe(256 * 256);
    // A real image: many distinct grey values, and it renders.
    expect(new Set(img.pixels).size).toBeGreaterThan(100);
    const rgba = renderWindowLevel(img, img.window);
    expect(rgba.some((v, i) => i % 4 === 0 && v > 0 && v < 255)).toBe(true);
  });

  it('says which compressed syntaxes it cannot read yet', () => {
    const jp2k = makeDicom({ rows: 4, columns: 4, transferSyntax: '1.2.840.10008.1.2.4.90' });
    expect(() => parseDicomImage(toArrayBuffer(jp2k))).toThrow(/transfer syntax 1.2.840.10008.1.2.4.90/);
  });

  it('refuses a file that is not DICOM', () => {
    expect(() => parseDicomImage(new ArrayBuffer(300))).toThrow();
  });
});
