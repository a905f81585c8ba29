import type { DicomHeader } from '../header';
import type { DecodedFrame } from '../samples';
import { frameEncodingOf } from '../syntaxes';
import { DicomError } from '../types';
import { decodeJpegLossless } from './jpeg-lossless';
import { decodeNative } from './native';
import { decodeRle } from './rle';

/** Decoders that need no download (native, JPEG lossless, RLE): usable synchronously. */
export function decodeFrameSync(h: DicomHeader, bytes: Uint8Array): DecodedFrame | null {
  const encoding = frameEncodingOf(h.transferSyntax);
  if (encoding === 'native') return decodeNative(h, bytes);
  if (encoding === 'jpeg-lossless') return decodeJpegLossless(h, bytes);
  if (encoding === 'rle') return decodeRle(h, bytes);
  return null;
}

/**
 * Decodes one frame. The WebAssembly codecs are imported only here, when a file needs them, so
 * they never weigh on pages that show no such file.
 */
export async function decodeFrame(h: DicomHeader, bytes: Uint8Array): Promise<DecodedFrame> {
  const sync = decodeFrameSync(h, bytes);
  if (sync) return sync;
  const encoding = frameEncodingOf(h.transferSyntax);
  switch (encoding) {
    case 'jpeg-baseline':
      return (await import('./jpeg-baseline')).decodeJpegBaseline(h, bytes);
    case 'jpeg2000':
    case 'jpeg-ls':
      return decodeWasm(encoding, h, bytes);
    default:
      throw new DicomError('compressed', `transfer syntax ${h.transferSyntax}`);
  }
}

/** In a browser page: in the codec worker. Under Node (jest), or in a worker already: here. */
async function decodeWasm(
  codec: 'jpeg2000' | 'jpeg-ls',
  h: DicomHeader,
  bytes: Uint8Array,
): Promise<DecodedFrame> {
  if (typeof Worker === 'function' && typeof document !== 'undefined')
    return (await import('./off-thread')).decodeOffThread(codec, h, bytes);
  const wasm = await import('./wasm');
  return codec === 'jpeg2000' ? wasm.decodeJpeg2000(h, bytes) : wasm.decodeJpegLs(h, bytes);
}
