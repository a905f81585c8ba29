import * as dicomParserNs from 'dicom-parser';
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';

// dicom-parser is a UMD bundle: depending on the bundler its API is the namespace or its default.
const dicomParser = ((dicomParserNs as unknown as { default?: typeof dicomParserNs }).default ??
  dicomParserNs) as typeof dicomParserNs;

/** One uncompressed greyscale DICOM frame, ready for window/level rendering. */
export interface DicomImage {
  rows: number;
  columns: number;
  /** Stored values, as in the file. */
  pixels: Int16Array | Uint16Array | Uint8Array;
  slope: number;
  intercept: number;
  /** Default window from the file, or computed from the pixel range. */
  window: { center: number; width: number };
  invert: boolean;
  patientName?: string;
  modality?: string;
  studyDescription?: string;
}

const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);
/** JPEG Lossless, non-hierarchical (process 14), and its selection-value-1 variant: common for CR/DX. */
const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);
/** JPEG baseline / extended (8/12-bit lossy): decoded by the browser itself. */
export const JPEG_BASELINE = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51']);

export class DicomError extends Error {
  constructor(
    readonly code: 'not_dicom' | 'compressed' | 'unsupported' | 'no_pixels' | 'too_large',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The largest image the viewer decodes: 16384 on a side and 64 megapixels, beyond any radiograph
 * (a 43×43 cm detector at 100 µm is ~4300 px). Checked before anything is allocated, so a file
 * whose header claims a huge image cannot make the tab allocate gigabytes.
 */
export const MAX_DICOM_SIDE = 16384;
export const MAX_DICOM_PIXELS = 64 * 1024 * 1024;

function checkDimensions(rows: number, columns: number): void {
  if (rows > MAX_DICOM_SIDE || columns > MAX_DICOM_SIDE || rows * columns > MAX_DICOM_PIXELS)
    throw new DicomError('too_large', `image of ${columns}×${rows} pixels`);
}

export function parseDicomImage(buffer: ArrayBuffer): DicomImage {
  const bytes = new Uint8Array(buffer);
  let ds;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (err) {
    const e = err as { message?: string; exception?: string };
    throw new DicomError('not_dicom', e?.exception ?? e?.message ?? String(err));
  }
  const syntax = ds.string('x00020010')?.trim();
  if (syntax && !UNCOMPRESSED.has(syntax) && !JPEG_LOSSLESS.has(syntax)) {
    throw new DicomError('compressed', `transfer syntax ${syntax}`);
  }
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  const samples = ds.uint16('x00280002') ?? 1;
  const signed = (ds.uint16('x00280103') ?? 0) === 1;
  const photometric = ds.string('x00280004')?.trim() ?? 'MONOCHROME2';
  const el = ds.elements.x7fe00010;
  if (!el || !rows || !columns) throw new DicomError('no_pixels', 'no pixel data');
  checkDimensions(rows, columns);
  if (samples !== 1) throw new DicomError('unsupported', 'colour DICOM');
  const count = rows * columns;
  const start = bytes.byteOffset + el.dataOffset;
  let pixels: Int16Array | Uint16Array | Uint8Array;
  if (syntax && JPEG_LOSSLESS.has(syntax)) {
    // Encapsulated: the first frame's fragments, then a lossless JPEG decode to raw samples.
    const frame = el.encapsulatedPixelData
      ? dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0)
      : bytes.subarray(el.dataOffset, el.dataOffset + el.length);
    const copy = new Uint8Array(frame.length);
    copy.set(frame);
    const decoded = new JpegLosslessDecoder().decode(
      copy.buffer,
      0,
      copy.length,
      bitsAllocated <= 8 ? 1 : 2,
    );
    if (bitsAllocated <= 8) pixels = new Uint8Array(decoded).slice(0, count);
    else
      pixels = signed
        ? new Int16Array(decoded).slice(0, count)
        : new Uint16Array(decoded).slice(0, count);
  } else if (bitsAllocated === 8) pixels = new Uint8Array(bytes.buffer.slice(start, start + count));
  else if (bitsAllocated === 16) {
    const copy = bytes.buffer.slice(start, start + count * 2); // aligned copy
    pixels = signed ? new Int16Array(copy) : new Uint16Array(copy);
  } else throw new DicomError('unsupported', `${bitsAllocated} bits`);

  const slope = Number.parseFloat(ds.string('x00281053') ?? '1') || 1;
  const intercept = Number.parseFloat(ds.string('x00281052') ?? '0') || 0;
  let center = Number.parseFloat(ds.string('x00281050') ?? '');
  let width = Number.parseFloat(ds.string('x00281051') ?? '');
  if (!Number.isFinite(center) || !Number.isFinite(width) || width < 1) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i] * slope + intercept;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    center = (lo + hi) / 2;
    width = Math.max(1, hi - lo);
  }
  return {
    rows,
    columns,
    pixels,
    slope,
    intercept,
    window: { center, width },
    invert: photometric === 'MONOCHROME1',
    patientName: ds.string('x00100010'),
    modality: ds.string('x00080060'),
    studyDescription: ds.string('x00081030'),
  };
}

/**
 * parseDicomImage plus JPEG baseline (lossy 8-bit, common for photos and some CR), which the
 * browser decodes itself (createImageBitmap); browser-only, hence async and separate.
 */
export async function decodeDicomImage(buffer: ArrayBuffer): Promise<DicomImage> {
  try {
    return parseDicomImage(buffer);
  } catch (err) {
    if (!(err instanceof DicomError) || err.code !== 'compressed') throw err;
    const bytes = new Uint8Array(buffer);
    const ds = dicomParser.parseDicom(bytes);
    const syntax = ds.string('x00020010')?.trim() ?? '';
    const el = ds.elements.x7fe00010;
    if (
      !JPEG_BASELINE.has(syntax) ||
      !el?.encapsulatedPixelData ||
      typeof createImageBitmap !== 'function'
    )
      throw err;
    checkDimensions(ds.uint16('x00280010') ?? 0, ds.uint16('x00280011') ?? 0);
    const frame = dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0);
    const bitmap = await createImageBitmap(
      new Blob([new Uint8Array(frame)], { type: 'image/jpeg' }),
    );
    // The JPEG stream, not the header, decides what the browser decoded.
    checkDimensions(bitmap.height, bitmap.width);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const pixels = new Uint8Array(bitmap.width * bitmap.height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[i * 4];
    const center = Number.parseFloat(ds.string('x00281050') ?? '');
    const width = Number.parseFloat(ds.string('x00281051') ?? '');
    return {
      rows: bitmap.height,
      columns: bitmap.width,
      pixels,
      slope: 1,
      intercept: 0,
      window:
        Number.isFinite(center) && width >= 1 ? { center, width } : { center: 128, width: 256 },
      invert: (ds.string('x00280004')?.trim() ?? '') === 'MONOCHROME1',
      patientName: ds.string('x00100010'),
      modality: ds.string('x00080060'),
      studyDescription: ds.string('x00081030'),
    };
  }
}

/** DICOM PS3.3 C.11.2.1.2 linear VOI function, to an 8-bit grey value. */
export function windowValue(value: number, center: number, width: number): number {
  const c = center - 0.5;
  const w = width - 1;
  if (w <= 0) return value <= c ? 0 : 255;
  if (value <= c - w / 2) return 0;
  if (value > c + w / 2) return 255;
  return Math.round(((value - c) / w + 0.5) * 255);
}

/** Render the frame into RGBA with a window centre/width. */
export function renderWindowLevel(
  img: DicomImage,
  wl: { center: number; width: number },
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  const n = img.rows * img.columns;
  const rgba = out ?? new Uint8ClampedArray(n * 4);
  // A lookup table over the stored range keeps this fast for 16-bit X-rays.
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = img.pixels[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const lut = new Uint8Array(hi - lo + 1);
  for (let s = lo; s <= hi; s++) {
    const g = windowValue(s * img.slope + img.intercept, wl.center, wl.width);
    lut[s - lo] = img.invert ? 255 - g : g;
  }
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const g = lut[img.pixels[i] - lo];
    rgba[j] = g;
    rgba[j + 1] = g;
    rgba[j + 2] = g;
    rgba[j + 3] = 255;
  }
  return rgba;
}

/** Common presets (Hounsfield units for CT; for plain X-rays the file's own window is best). */
export const WINDOW_PRESETS = {
  lung: { center: -600, width: 1500 },
  mediastinum: { center: 40, width: 400 },
  bone: { center: 400, width: 1800 },
} as const;
