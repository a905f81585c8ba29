import type { DicomHeader } from './header';
import { dicomParser } from './parser';
import { DicomError } from './types';

/** Bytes of one native (uncompressed) frame. */
export function nativeFrameLength(h: DicomHeader): number {
  // Native YBR_FULL_422 keeps two luma samples per chroma pair: Y1 Y2 Cb Cr for two pixels.
  const samples = h.photometric === 'YBR_FULL_422' ? 2 : h.samplesPerPixel;
  return (h.rows * h.columns * samples * h.bitsAllocated) / 8;
}

/**
 * The bytes of frame `index`: a view into the file for native data, the joined fragments for
 * encapsulated data (basic offset table when present, else one fragment per frame, else the
 * JPEG end-of-image markers).
 */
export function frameBytes(h: DicomHeader, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= h.frameCount)
    throw new DicomError('no_pixels', `frame ${index} of ${h.frameCount}`);
  const el = h.pixelData;
  const data = h.ds.byteArray;
  if (!el.encapsulatedPixelData) {
    const length = nativeFrameLength(h);
    const start = el.dataOffset + index * length;
    // The element may be shorter than its header claims (truncated upload): refuse, don't read past.
    if (start + length > el.dataOffset + el.length || start + length > data.length)
      throw new DicomError('no_pixels', `frame ${index} lies beyond the pixel data`);
    return data.subarray(start, start + length);
  }
  const fragments = el.fragments ?? [];
  if (!fragments.length) throw new DicomError('no_pixels', 'no fragments');
  try {
    if (el.basicOffsetTable?.length)
      return dicomParser.readEncapsulatedImageFrame(h.ds, el, index) as Uint8Array;
    if (h.frameCount === 1)
      return dicomParser.readEncapsulatedPixelDataFromFragments(
        h.ds,
        el,
        0,
        fragments.length,
      ) as Uint8Array;
    if (fragments.length === h.frameCount)
      return dicomParser.readEncapsulatedPixelDataFromFragments(h.ds, el, index, 1) as Uint8Array;
    const table = dicomParser.createJPEGBasicOffsetTable(h.ds, el);
    return dicomParser.readEncapsulatedImageFrame(h.ds, el, index, table) as Uint8Array;
  } catch (err) {
    if (err instanceof DicomError) throw err;
    const e = err as { message?: string; exception?: string };
    throw new DicomError('no_pixels', e?.exception ?? e?.message ?? String(err));
  }
}
