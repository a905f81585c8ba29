import { checkDimensions, DicomError } from '../types';

/**
 * Width and height from a JPEG-family start-of-frame marker (SOF3 for lossless JPEG, SOF55 for
 * JPEG-LS), read before decoding: a stream claiming a huge image is refused before any codec
 * allocates for it, and one whose size differs from the header is refused as corrupt.
 */
export function checkJpegFrameSize(bytes: Uint8Array, rows: number, columns: number): void {
  for (let i = 2; i + 8 < bytes.length;) {
    if (bytes[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = bytes[i + 1];
    // SOF0..SOF15 (except DHT C4, JPG C8, DAC CC) and JPEG-LS SOF55 (F7) carry the frame size.
    if (
      (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) ||
      marker === 0xf7
    ) {
      const height = (bytes[i + 5] << 8) | bytes[i + 6];
      const width = (bytes[i + 7] << 8) | bytes[i + 8];
      checkDimensions(height, width);
      if (height !== rows || width !== columns)
        throw new DicomError(
          'not_dicom',
          `stream is ${width}×${height}, header says ${columns}×${rows}`,
        );
      return;
    }
    if (
      marker === 0xd8 ||
      marker === 0x01 ||
      (marker >= 0xd0 && marker <= 0xd7) ||
      marker === 0xff
    ) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    i += 2 + ((bytes[i + 2] << 8) | bytes[i + 3]); // skip a segment by its length
  }
  throw new DicomError('not_dicom', 'no JPEG frame header');
}

/**
 * The same check for JPEG 2000, from the SIZ marker that follows SOC (FF4F FF51) in the
 * codestream (also found inside a JP2 wrapper): width = Xsiz − XOsiz, height = Ysiz − YOsiz.
 */
export function checkJ2kFrameSize(bytes: Uint8Array, rows: number, columns: number): void {
  const limit = Math.min(bytes.length - 24, 4096);
  for (let i = 0; i < limit; i++) {
    if (
      bytes[i] !== 0xff ||
      bytes[i + 1] !== 0x4f ||
      bytes[i + 2] !== 0xff ||
      bytes[i + 3] !== 0x51
    )
      continue;
    const view = new DataView(bytes.buffer, bytes.byteOffset + i + 4);
    const width = view.getUint32(4) - view.getUint32(12);
    const height = view.getUint32(8) - view.getUint32(16);
    checkDimensions(height, width);
    if (height !== rows || width !== columns)
      throw new DicomError(
        'not_dicom',
        `stream is ${width}×${height}, header says ${columns}×${rows}`,
      );
    return;
  }
  throw new DicomError('not_dicom', 'no JPEG 2000 codestream header');
}
