import { decodeFrame, decodeFrameSync } from './codecs';
import { frameBytes } from './frames';
import { readHeader, readTransferSyntax, type DicomHeader } from './header';
import { toImage } from './samples';
import { DEFLATED_LE } from './syntaxes';
import { DicomError, MAX_INFLATED_BYTES, type DicomFile, type DicomImage } from './types';

export interface OpenOptions {
  /** Cap on a deflated file's inflated size (bytes); default MAX_INFLATED_BYTES. */
  maxInflatedBytes?: number;
}

function fileOf(h: DicomHeader): DicomFile {
  // Decoding internals stay out of the public object.
  const { ds: _ds, pixelData: _px, bitsStored: _bs, signed: _sg, planar: _pl, ...facts } = h;
  const { slope: _slope, intercept: _intercept, palette: _palette, ...file } = facts;
  return {
    ...file,
    frame: async (index: number) => toImage(h, await decodeFrame(h, frameBytes(h, index))),
  };
}

/** Reads a DICOM file's header; frames decode on demand with `frame(i)`. */
export async function openDicom(
  buffer: ArrayBuffer,
  options: OpenOptions = {},
): Promise<DicomFile> {
  const bytes = new Uint8Array(buffer);
  const syntax = readTransferSyntax(bytes);
  let inflater;
  if (syntax === DEFLATED_LE) {
    const { boundedInflater } = await import('./inflate');
    inflater = boundedInflater(options.maxInflatedBytes ?? MAX_INFLATED_BYTES);
  }
  return fileOf(readHeader(bytes, inflater));
}

/** Frame 0 of a DICOM file, whatever its encoding. */
export async function decodeDicomImage(buffer: ArrayBuffer): Promise<DicomImage> {
  return (await openDicom(buffer)).frame(0);
}

/**
 * Frame 0 without waiting: only for encodings that need no codec download (native, JPEG
 * lossless, RLE); anything else throws DicomError('compressed') — use decodeDicomImage.
 */
export function parseDicomImage(buffer: ArrayBuffer): DicomImage {
  const h = readHeader(new Uint8Array(buffer));
  const decoded = decodeFrameSync(h, frameBytes(h, 0));
  if (!decoded) throw new DicomError('compressed', `transfer syntax ${h.transferSyntax}`);
  return toImage(h, decoded);
}
