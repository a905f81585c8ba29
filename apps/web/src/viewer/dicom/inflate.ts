import { DicomError } from './types';
import type { Inflater } from './header';

/** Deflated explicit VR LE: stub until the bounded inflater lands. */
export function boundedInflater(maxBytes: number): Inflater {
  return () => {
    throw new DicomError('compressed', `deflated data (cap ${maxBytes} bytes)`);
  };
}
