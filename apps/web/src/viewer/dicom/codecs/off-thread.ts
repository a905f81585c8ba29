import type { DecodedFrame } from '../samples';
import { DicomError, type DicomErrorCode } from '../types';
import type { FrameSize } from './wasm';
import type { WasmRequest } from './wasm-worker';

type Answer = {
  id: number;
  frame?: DecodedFrame;
  error?: { code: DicomErrorCode; message: string };
};

let worker: Promise<Worker> | undefined;
let nextId = 1;
const pending = new Map<
  number,
  { resolve: (f: DecodedFrame) => void; reject: (e: Error) => void }
>();

function start(): Promise<Worker> {
  return import('./wasm-worker?worker').then(({ default: WasmWorker }) => {
    const w = new WasmWorker();
    w.onmessage = ({ data }: MessageEvent<Answer>) => {
      const waiting = pending.get(data.id);
      pending.delete(data.id);
      if (data.frame) waiting?.resolve(data.frame);
      else waiting?.reject(new DicomError(data.error!.code, data.error!.message));
    };
    // A worker that cannot start (or dies) fails what it holds; the next decode starts a new one.
    w.onerror = (e) => {
      worker = undefined;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new DicomError('unsupported', `decoder worker: ${e.message}`));
      }
    };
    return w;
  });
}

/**
 * One frame through the codec worker (one per page, started on first use; frames queue in it).
 * The bytes are copied and their copy transferred: posting a view into the file would clone
 * the whole file.
 */
export async function decodeOffThread(
  codec: WasmRequest['codec'],
  size: FrameSize,
  bytes: Uint8Array,
): Promise<DecodedFrame> {
  worker ??= start();
  const w = await worker;
  const id = nextId++;
  const copy = bytes.slice();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const request: WasmRequest = {
      id,
      codec,
      size: { rows: size.rows, columns: size.columns },
      bytes: copy,
    };
    w.postMessage(request, [copy.buffer]);
  });
}
