import type { DicomHeader } from '../header';
import type { DecodedFrame } from '../samples';
import { EXPLICIT_BE } from '../syntaxes';
import { DicomError } from '../types';

/** 4:2:2 → full YBR: each Y1 Y2 Cb Cr quadruple becomes Y1 Cb Cr, Y2 Cb Cr. */
function unpack422(packed: Uint8Array, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  for (let p = 0, i = 0; p + 1 < pixels; p += 2, i += 4) {
    const [cb, cr] = [packed[i + 2], packed[i + 3]];
    out.set([packed[i], cb, cr, packed[i + 1], cb, cr], p * 3);
  }
  return out;
}

/** Uncompressed samples, copied out of the file (8 or 16 bits allocated, either byte order). */
export function decodeNative(h: DicomHeader, bytes: Uint8Array): DecodedFrame {
  const frame = { width: h.columns, height: h.rows, components: h.samplesPerPixel, rgb: false };
  const planar = h.planar && h.samplesPerPixel > 1;
  if (h.bitsAllocated === 8) {
    if (h.photometric === 'YBR_FULL_422' && h.samplesPerPixel === 3)
      return { ...frame, planar: false, samples: unpack422(bytes, h.rows * h.columns) };
    return { ...frame, planar, samples: bytes.slice() };
  }
  if (h.bitsAllocated === 16) {
    if (h.photometric === 'YBR_FULL_422')
      throw new DicomError('unsupported', '16-bit YBR_FULL_422');
    const copy = bytes.slice(); // aligned, and ours to swap
    if (h.transferSyntax === EXPLICIT_BE)
      for (let i = 0; i + 1 < copy.length; i += 2) [copy[i], copy[i + 1]] = [copy[i + 1], copy[i]];
    return { ...frame, planar, samples: new Uint16Array(copy.buffer, 0, copy.length >> 1) };
  }
  throw new DicomError('unsupported', `${h.bitsAllocated} bits allocated`);
}
