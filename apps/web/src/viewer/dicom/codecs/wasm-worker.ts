import { DicomError } from '../types';
import { decodeJpeg2000, decodeJpegLs, type FrameSize } from './wasm';

/**
 * Runs the WebAssembly codecs off the page's main thread: a 2048² lossless JPEG 2000 takes
 * seconds to decode, which on the main thread would freeze the video call around the viewer.
 */
export interface WasmRequest {
  id: number;
  codec: 'jpeg2000' | 'jpeg-ls';
  size: FrameSize;
  bytes: Uint8Array;
}

// The worker's global, typed here rather than by the webworker lib (which would retype the app).
const scope = self as unknown as {
  onmessage: (e: MessageEvent<WasmRequest>) => void;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};
scope.onmessage = async ({ data }: MessageEvent<WasmRequest>) => {
  try {
    const decode = data.codec === 'jpeg2000' ? decodeJpeg2000 : decodeJpegLs;
    const frame = await decode(data.size, data.bytes);
    scope.postMessage({ id: data.id, frame }, [frame.samples.buffer]);
  } catch (err) {
    const code = err instanceof DicomError ? err.code : 'not_dicom';
    scope.postMessage({
      id: data.id,
      error: { code, message: String((err as Error)?.message ?? err) },
    });
  }
};
