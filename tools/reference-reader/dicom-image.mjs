/**
 * The grey values of an uncompressed DICOM image (what the reference reader accepts): one frame,
 * one sample per pixel, 8 or 16 bits, modality rescale applied, MONOCHROME1 turned into
 * MONOCHROME2 so that dark always means "lets X-rays through" (air, lung).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dicomParser = require('dicom-parser');

export class UnreadableImage extends Error {}

export function readDicomImage(bytes) {
  let ds;
  try {
    ds = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    throw new UnreadableImage(`not a DICOM file (${String(err?.message ?? err).slice(0, 100)})`);
  }
  const columns = ds.uint16('x00280011');
  const rows = ds.uint16('x00280010');
  const pixels = ds.elements.x7fe00010;
  if (!columns || !rows || !pixels) throw new UnreadableImage('no image in the file');
  if (pixels.hadUndefinedLength) throw new UnreadableImage('compressed pixel data is not read');
  if ((ds.uint16('x00280002') ?? 1) !== 1) throw new UnreadableImage('only greyscale images');
  const bits = ds.uint16('x00280100') ?? 16;
  const signed = ds.uint16('x00280103') === 1;
  const slope = ds.floatString('x00281053') ?? 1;
  const intercept = ds.floatString('x00281052') ?? 0;
  const inverted = (ds.string('x00280004') ?? '').trim() === 'MONOCHROME1';
  const n = columns * rows;
  const view = new DataView(ds.byteArray.buffer, ds.byteArray.byteOffset + pixels.dataOffset);
  if (pixels.length < n * (bits / 8)) throw new UnreadableImage('the pixel data is truncated');
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const raw =
      bits === 8
        ? view.getUint8(i)
        : signed
          ? view.getInt16(i * 2, true)
          : view.getUint16(i * 2, true);
    grey[i] = raw * slope + intercept;
  }
  if (inverted) {
    let max = -Infinity;
    for (const v of grey) max = Math.max(max, v);
    for (let i = 0; i < n; i++) grey[i] = max - grey[i];
  }
  const spacing = (ds.string('x00280030') ?? ds.string('x00181164') ?? '').split('\\').map(Number);
  return {
    columns,
    rows,
    grey,
    pixelSpacing: spacing.length === 2 && spacing.every((v) => v > 0) ? spacing : null,
    // Kept so the reader can show (in tests) what it was sent.
    patientName: ds.string('x00100010') ?? null,
    patientId: ds.string('x00100020') ?? null,
  };
}
