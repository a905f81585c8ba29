import type { DicomHeader } from '../header';
import type { DecodedFrame } from '../samples';
import { DicomError } from '../types';

const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;

/** One PackBits segment into `out`; refuses a segment that ends before `out` is full. */
function unpackBits(src: Uint8Array, start: number, end: number, out: Uint8Array): void {
  let i = start;
  let o = 0;
  while (o < out.length && i < end) {
    const n = src[i++];
    if (n < 128) {
      // n + 1 literal bytes (clipped to what the segment and the output hold).
      const count = Math.min(n + 1, end - i, out.length - o);
      out.set(src.subarray(i, i + count), o);
      i += n + 1;
      o += count;
    } else if (n > 128) {
      // The next byte, 257 - n times. (128 is a no-op.)
      if (i >= end) break;
      const count = Math.min(257 - n, out.length - o);
      out.fill(src[i++], o, o + count);
      o += count;
    }
  }
  if (o < out.length)
    throw new DicomError('not_dicom', `RLE segment short by ${out.length - o} bytes`);
}

/**
 * RLE Lossless (PS3.5 Annex G), a handful of lines, so no dependency: a 64-byte header with the
 * segment offsets, then one PackBits segment per byte plane — per sample, most significant first.
 */
export function decodeRle(h: DicomHeader, bytes: Uint8Array): DecodedFrame {
  const bytesPerSample = h.bitsAllocated / 8;
  if (bytesPerSample !== 1 && bytesPerSample !== 2)
    throw new DicomError('unsupported', `RLE with ${h.bitsAllocated} bits allocated`);
  const components = h.samplesPerPixel;
  const n = h.rows * h.columns;
  if (bytes.length < HEADER_BYTES) throw new DicomError('not_dicom', 'RLE header missing');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== components * bytesPerSample || segments > MAX_SEGMENTS)
    throw new DicomError('not_dicom', `RLE has ${segments} segments`);
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + 4 * s, true));
  offsets.push(bytes.length);
  const samples =
    bytesPerSample === 1 ? new Uint8Array(n * components) : new Uint16Array(n * components);
  const plane = new Uint8Array(n);
  for (let s = 0; s < segments; s++) {
    const [start, end] = [offsets[s], offsets[s + 1]];
    if (start < HEADER_BYTES || end < start || end > bytes.length)
      throw new DicomError('not_dicom', `RLE segment ${s} at ${start}..${end}`);
    unpackBits(bytes, start, end, plane);
    const component = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
    for (let i = 0; i < n; i++) samples[i * components + component] |= plane[i] << shift;
  }
  return { width: h.columns, height: h.rows, samples, components, planar: false, rgb: false };
}
