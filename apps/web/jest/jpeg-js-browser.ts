import { decode } from 'jpeg-js';

/**
 * jest has no image decoder: stand in for the browser's createImageBitmap + OffscreenCanvas with
 * jpeg-js (which also applies JPEG's YCbCr → RGB), so JPEG baseline files decode for real.
 */
export function useJpegJsAsBrowser(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { createImageBitmap: g.createImageBitmap, OffscreenCanvas: g.OffscreenCanvas };
  beforeAll(() => {
    g.createImageBitmap = async (blob: Blob) => {
      const { width, height, data } = decode(new Uint8Array(await blob.arrayBuffer()), {
        useTArray: true,
        formatAsRGBA: true,
      });
      return { width, height, data, close() {} };
    };
    g.OffscreenCanvas = class {
      private data = new Uint8ClampedArray(0);
      constructor(
        readonly width: number,
        readonly height: number,
      ) {}
      getContext() {
        return {
          drawImage: (bitmap: { data: Uint8Array }) =>
            (this.data = new Uint8ClampedArray(bitmap.data)),
          getImageData: () => ({ data: this.data }),
        };
      }
    };
  });
  afterAll(() => Object.assign(g, saved));
}
