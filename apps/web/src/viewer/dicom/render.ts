import type { DicomImage } from './types';

/** DICOM PS3.3 C.11.2.1.2 linear VOI function, to an 8-bit grey value. */
export function windowValue(value: number, center: number, width: number): number {
  const c = center - 0.5;
  const w = width - 1;
  if (w <= 0) return value <= c ? 0 : 255;
  if (value <= c - w / 2) return 0;
  if (value > c + w / 2) return 255;
  return Math.round(((value - c) / w + 0.5) * 255);
}

/**
 * Colour frames: the same linear window applied to each 8-bit channel. The default window
 * (centre 128, width 256) is the identity, so photos and ultrasound show as recorded, and a
 * narrower window still stretches contrast the way it does for greyscale.
 */
function renderRgb(
  img: DicomImage,
  wl: { center: number; width: number },
  rgba: Uint8ClampedArray,
) {
  const lut = new Uint8Array(256);
  for (let s = 0; s < 256; s++) lut[s] = windowValue(s, wl.center, wl.width);
  const n = img.rows * img.columns;
  for (let i = 0, k = 0, j = 0; i < n; i++, k += 3, j += 4) {
    rgba[j] = lut[img.pixels[k]];
    rgba[j + 1] = lut[img.pixels[k + 1]];
    rgba[j + 2] = lut[img.pixels[k + 2]];
    rgba[j + 3] = 255;
  }
  return rgba;
}

/** Render the frame into RGBA with a window centre/width. */
export function renderWindowLevel(
  img: DicomImage,
  wl: { center: number; width: number },
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  const n = img.rows * img.columns;
  const rgba = out ?? new Uint8ClampedArray(n * 4);
  if (img.samples === 3) return renderRgb(img, wl, rgba);
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
  brain: { center: 40, width: 80 },
} as const;
