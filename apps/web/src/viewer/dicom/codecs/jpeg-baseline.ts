import type { DicomHeader } from '../header';
import type { DecodedFrame } from '../samples';
import { checkDimensions, DicomError } from '../types';

/**
 * JPEG baseline / extended through the browser's own decoder (createImageBitmap): no codec to
 * ship. The browser also applies JPEG's YCbCr → RGB, so colour comes back as RGB.
 */
export async function decodeJpegBaseline(h: DicomHeader, bytes: Uint8Array): Promise<DecodedFrame> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function')
    throw new DicomError('compressed', `transfer syntax ${h.transferSyntax} needs a browser`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes.slice()], { type: 'image/jpeg' }));
  } catch (err) {
    // e.g. 12-bit extended JPEG, which browsers do not decode.
    throw new DicomError('unsupported', `JPEG the browser cannot decode: ${String(err)}`);
  }
  // The JPEG stream, not the header, decides what the browser decoded.
  checkDimensions(bitmap.height, bitmap.width);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close?.();
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const components = h.samplesPerPixel === 3 ? 3 : 1;
  const n = canvas.width * canvas.height;
  const samples = new Uint8Array(n * components);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < components; c++) samples[i * components + c] = rgba[i * 4 + c];
  return {
    width: canvas.width,
    height: canvas.height,
    samples,
    components,
    planar: false,
    rgb: true,
  };
}
