import type { DicomHeader } from './header';
import { applyPalette } from './palette';
import { DicomError, type DicomImage } from './types';

/** What a codec (or the native reader) produced for one frame, before DICOM semantics. */
export interface DecodedFrame {
  width: number;
  height: number;
  /** One value per sample: 8-bit data as Uint8Array, wider data as 16-bit arrays. */
  samples: Uint8Array | Uint16Array | Int16Array;
  components: number;
  /** Component planes one after another (R…G…B…) rather than interleaved (RGBRGB…). */
  planar: boolean;
  /** The codec already turned its colour space into RGB (JPEG's YCbCr, JPEG 2000's MCT). */
  rgb: boolean;
  /**
   * The samples are numbers, not bit patterns (OpenJPEG: signed values, and lossy overshoot past
   * Bits Stored): clamp them into the stored range instead of masking, which would wrap an
   * overshoot of 4096 to 0 — a black speck in a white area.
   */
  numeric?: boolean;
}

/** PS3.3 C.7.6.3.1.2 YBR_FULL → RGB, 8-bit. */
function ybrToRgb(rgb: Uint8Array): void {
  for (let i = 0; i < rgb.length; i += 3) {
    const y = rgb[i];
    const cb = rgb[i + 1] - 128;
    const cr = rgb[i + 2] - 128;
    rgb[i] = clamp8(y + 1.402 * cr);
    rgb[i + 1] = clamp8(y - 0.344136 * cb - 0.714136 * cr);
    rgb[i + 2] = clamp8(y + 1.772 * cb);
  }
}

function clamp8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** Greyscale values masked to Bits Stored and sign-extended when Pixel Representation says so. */
function greyscale(h: DicomHeader, f: DecodedFrame, n: number): DicomImage['pixels'] {
  const bits = Math.min(h.bitsStored, 16);
  const mask = bits >= 16 ? 0xffff : (1 << bits) - 1;
  const sign = 1 << (bits - 1);
  const out = h.signed ? new Int16Array(n) : bits <= 8 ? new Uint8Array(n) : new Uint16Array(n);
  if (f.numeric) {
    const [lo, hi] = h.signed ? [-sign, sign - 1] : [0, mask];
    for (let i = 0; i < n; i++) out[i] = Math.min(hi, Math.max(lo, f.samples[i]));
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = f.samples[i] & mask;
    out[i] = h.signed && v & sign ? v - (mask + 1) : v;
  }
  return out;
}

/** Interleaved 8-bit RGB from planar or interleaved, RGB or YBR_FULL samples. */
function colour(h: DicomHeader, f: DecodedFrame, n: number): Uint8Array {
  const out = new Uint8Array(n * 3);
  const shift = Math.max(0, Math.min(h.bitsStored, 16) - 8);
  // Uint8Array stores modulo 256: clamp, so a lossy overshoot stays at full intensity.
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++)
      out[i * 3 + c] = Math.min(
        255,
        Math.max(0, f.samples[f.planar ? c * n + i : i * 3 + c] >> shift),
      );
  if (!f.rgb && h.photometric.startsWith('YBR_FULL')) ybrToRgb(out);
  return out;
}

function rangeWindow(img: DicomImage['pixels'], slope: number, intercept: number) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < img.length; i++) {
    if (img[i] < lo) lo = img[i];
    if (img[i] > hi) hi = img[i];
  }
  const a = lo * slope + intercept;
  const b = hi * slope + intercept;
  return { center: (a + b) / 2, width: Math.max(1, Math.abs(b - a)) };
}

/** Applies the header's pixel semantics to a decoded frame, after checking it matches the header. */
export function toImage(h: DicomHeader, f: DecodedFrame): DicomImage {
  if (f.width !== h.columns || f.height !== h.rows)
    throw new DicomError(
      'not_dicom',
      `decoded ${f.width}×${f.height}, header says ${h.columns}×${h.rows}`,
    );
  const n = h.rows * h.columns;
  if (f.components !== h.samplesPerPixel || f.samples.length < n * f.components)
    throw new DicomError('not_dicom', `decoded ${f.components} × ${f.samples.length} samples`);
  if (h.samplesPerPixel !== 1 && h.samplesPerPixel !== 3)
    throw new DicomError('unsupported', `${h.samplesPerPixel} samples per pixel`);
  const palette = h.samplesPerPixel === 1 && h.palette ? h.palette : null;
  const samples = h.samplesPerPixel === 3 || palette ? 3 : 1;
  const pixels =
    h.samplesPerPixel === 3
      ? colour(h, f, n)
      : palette
        ? applyPalette(palette, greyscale(h, f, n), n)
        : greyscale(h, f, n);
  const window =
    samples === 3
      ? { center: 128, width: 256 }
      : (h.windows[0] ?? rangeWindow(pixels, h.slope, h.intercept));
  return {
    rows: h.rows,
    columns: h.columns,
    pixels,
    samples,
    slope: samples === 3 ? 1 : h.slope,
    intercept: samples === 3 ? 0 : h.intercept,
    window: { center: window.center, width: window.width },
    invert: h.photometric === 'MONOCHROME1',
    pixelSpacing: h.pixelSpacing,
    patientName: h.patientName,
    modality: h.modality,
    studyDescription: h.studyDescription,
  };
}
