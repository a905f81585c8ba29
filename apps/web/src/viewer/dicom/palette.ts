import type { DataSet } from './parser';
import { DicomError } from './types';

/** A PALETTE COLOR lookup table, already reduced to 8-bit red, green and blue entries. */
export interface Palette {
  /** The stored value the first entry maps. */
  first: number;
  red: Uint8Array;
  green: Uint8Array;
  blue: Uint8Array;
}

/**
 * One channel of PS3.3 C.7.6.3.1.5/6: descriptor = entries (0 means 65536), first mapped value,
 * bits per entry (8 or 16); data = one 16-bit word per entry, or 8-bit entries packed as bytes
 * (both occur in the wild — the data's length tells which).
 */
function channel(ds: DataSet, descriptorTag: string, dataTag: string) {
  const descriptor = ds.elements[descriptorTag];
  const data = ds.elements[dataTag];
  if (!descriptor || descriptor.length < 6 || !data)
    throw new DicomError('unsupported', 'palette colour without a (non-segmented) lookup table');
  const entries = ds.uint16(descriptorTag, 0) || 65536;
  // The first mapped value is US or SS depending on Pixel Representation: read it as written.
  const first =
    ds.elements.x00280103 && ds.uint16('x00280103') === 1
      ? (ds.int16(descriptorTag, 1) ?? 0)
      : (ds.uint16(descriptorTag, 1) ?? 0);
  const bits = ds.uint16(descriptorTag, 2) ?? 16;
  const bytes = ds.byteArray.subarray(data.dataOffset, data.dataOffset + data.length);
  const out = new Uint8Array(entries);
  if (bits === 8 && bytes.length === entries) out.set(bytes);
  else if (bytes.length >= entries * 2)
    for (let i = 0; i < entries; i++) {
      const word = bytes[i * 2] | (bytes[i * 2 + 1] << 8);
      out[i] = bits === 8 ? word & 0xff : word >> 8;
    }
  else throw new DicomError('not_dicom', `palette data of ${bytes.length} bytes for ${entries}`);
  return { first, out };
}

export function readPalette(ds: DataSet): Palette {
  const r = channel(ds, 'x00281101', 'x00281201');
  const g = channel(ds, 'x00281102', 'x00281202');
  const b = channel(ds, 'x00281103', 'x00281203');
  return { first: r.first, red: r.out, green: g.out, blue: b.out };
}

/** Stored values → interleaved RGB; values outside the table take its first or last entry. */
export function applyPalette(p: Palette, values: ArrayLike<number>, n: number): Uint8Array {
  const out = new Uint8Array(n * 3);
  const last = Math.min(p.red.length, p.green.length, p.blue.length) - 1;
  for (let i = 0; i < n; i++) {
    const k = Math.min(last, Math.max(0, values[i] - p.first));
    out[i * 3] = p.red[k];
    out[i * 3 + 1] = p.green[k];
    out[i * 3 + 2] = p.blue[k];
  }
  return out;
}
