import type { DicomHeader } from '../header';
import type { DecodedFrame } from '../samples';
import { frameEncodingOf } from '../syntaxes';
import { DicomError } from '../types';
import { decodeJpegLossless } from './jpeg-lossless';
import { decodeNative } from './native';

/** Decoders that need no download: usable synchronously. */
export function decodeFrameSync(h: DicomHeader, bytes: Uint8Array): DecodedFrame | null {
  const encoding = frameEncodingOf(h.transferSyntax);
  if (encoding === 'native') return decodeNative(h, bytes);
  if (encoding === 'jpeg-lossless') return decodeJpegLossless(h, bytes);
  return null;
}

/**
 * Decodes one frame. The WebAssembly codecs are imported only here, when a file needs them, so
 * they never weigh on pages that show no such file.
 */
export async function decodeFrame(h: DicomHeader, bytes: Uint8Array): Promise<DecodedFrame> {
  const sync = decodeFrameSync(h, bytes);
  if (sync) return sync;
  switch (frameEncodingOf(h.transferSyntax)) {
    case 'jpeg-baseline':
      return (await import('./jpeg-baseline')).decodeJpegBaseline(h, bytes);
    default:
      throw new DicomError('compressed', `transfer syntax ${h.transferSyntax}`);
  }
}
