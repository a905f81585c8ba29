import { Inflate } from 'fflate';
import type { Inflater } from './header';
import { DicomError } from './types';

/** Input per step: a step inflates to at most ~1032× its size, so the cap overshoots by ≤ ~4 MB. */
const STEP = 4096;

/**
 * Deflated Explicit VR Little Endian: the dataset after the meta header is raw deflate. Inflated
 * step by step, counting, and refused past `maxBytes` — a deflate bomb never fills the tab.
 */
export function boundedInflater(maxBytes: number): Inflater {
  return (bytes, position) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const inflate = new Inflate((chunk) => {
      total += chunk.length;
      if (total > maxBytes)
        throw new DicomError('too_large', `deflated data inflates past ${maxBytes} bytes`);
      chunks.push(chunk);
    });
    try {
      for (let i = position; i < bytes.length; i += STEP)
        inflate.push(bytes.subarray(i, Math.min(i + STEP, bytes.length)), i + STEP >= bytes.length);
    } catch (err) {
      throw err instanceof DicomError
        ? err
        : new DicomError('not_dicom', `inflate: ${String(err)}`);
    }
    const out = new Uint8Array(position + total);
    out.set(bytes.subarray(0, position));
    let at = position;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  };
}
