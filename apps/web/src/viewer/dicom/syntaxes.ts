/** Transfer syntaxes the viewer reads, and how each frame is encoded. */
export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_LE = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';

/** JPEG baseline / extended (8/12-bit lossy): decoded by the browser itself. */
export const JPEG_BASELINE = new Set(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51']);
/** JPEG Lossless, non-hierarchical (process 14), and its selection-value-1 variant: common for CR/DX. */
export const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);
/** JPEG-LS lossless and near-lossless. */
export const JPEG_LS = new Set(['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81']);
/**
 * JPEG 2000 lossless-only and lossy-or-lossless, and High-Throughput JPEG 2000 (lossless, lossless
 * RPCL, lossy-or-lossless): OpenJPEG decodes both block coders.
 */
export const JPEG_2000 = new Set([
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
  '1.2.840.10008.1.2.4.203',
]);

export type FrameEncoding =
  'native' | 'jpeg-baseline' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000' | 'rle';

/** How the pixel data of a syntax is encoded, or null when the viewer cannot read it. */
export function frameEncodingOf(syntax: string): FrameEncoding | null {
  if ([IMPLICIT_LE, EXPLICIT_LE, DEFLATED_LE, EXPLICIT_BE].includes(syntax)) return 'native';
  if (JPEG_BASELINE.has(syntax)) return 'jpeg-baseline';
  if (JPEG_LOSSLESS.has(syntax)) return 'jpeg-lossless';
  if (JPEG_LS.has(syntax)) return 'jpeg-ls';
  if (JPEG_2000.has(syntax)) return 'jpeg2000';
  if (syntax === RLE_LOSSLESS) return 'rle';
  return null;
}
