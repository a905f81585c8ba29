import type { DecodedFrame } from '../samples';
import { DicomError, type DicomErrorCode } from '../types';
import type { FrameSize } from './wasm';
import type { WasmRequest } from './wasm-worker';

type Answer = {
  id: number;
  frame?: DecodedFrame;
  error?: { code: DicomErrorCode; message: string };
};
type Waiting = { resolve: (f: DecodedFrame) => void; reject: (e: Error) => void };

/** A codec worker and the frames it holds. */
interface Decoder {
  worker: Promise<Worker>;
  pending: Map<number, Waiting>;
}

/**
 * Up to this many codec workers: a series loads several slices at once, and each worker holds
 * its own copy of the codecs (~0.4 MB compiled) — so one core stays for the page and the call.
 */
const MAX_WORKERS = Math.max(1, Math.min(3, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1));
const decoders: Decoder[] = [];
let nextId = 1;

function start(): Decoder {
  const pending = new Map<number, Waiting>();
  const decoder = { pending } as Decoder; // its worker follows: the handlers below refer to it
  decoder.worker = import('./wasm-worker?worker').then(({ default: WasmWorker }) => {
    const w = new WasmWorker();
    w.onmessage = ({ data }: MessageEvent<Answer>) => {
      const waiting = pending.get(data.id);
      pending.delete(data.id);
      if (data.frame) waiting?.resolve(data.frame);
      else waiting?.reject(new DicomError(data.error!.code, data.error!.message));
    };
    // A worker that cannot start (or dies) fails what it holds and leaves the pool.
    w.onerror = (e) => {
      drop(decoder);
      for (const p of pending.values())
        p.reject(new DicomError('unsupported', `decoder worker: ${e.message}`));
      pending.clear();
    };
    return w;
  });
  decoders.push(decoder);
  return decoder;
}

function drop(decoder: Decoder): void {
  const at = decoders.indexOf(decoder);
  if (at >= 0) decoders.splice(at, 1);
}

/** An idle worker, else a new one while the pool has room, else the least busy. */
function pick(): Decoder {
  const idle = decoders.find((d) => d.pending.size === 0);
  if (idle) return idle;
  if (decoders.length < MAX_WORKERS) return start();
  return decoders.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
}

/**
 * One frame through a codec worker. The bytes are copied and their copy transferred: posting a
 * view into the file would clone the whole file.
 */
export async function decodeOffThread(
  codec: WasmRequest['codec'],
  size: FrameSize,
  bytes: Uint8Array,
): Promise<DecodedFrame> {
  const decoder = pick();
  const id = nextId++;
  const copy = bytes.slice();
  const answer = new Promise<DecodedFrame>((resolve, reject) =>
    decoder.pending.set(id, { resolve, reject }),
  );
  const request: WasmRequest = {
    id,
    codec,
    size: { rows: size.rows, columns: size.columns },
    bytes: copy,
  };
  try {
    (await decoder.worker).postMessage(request, [copy.buffer]);
  } catch (err) {
    // The worker's script did not load (e.g. offline after a deploy): refuse, and try anew next time.
    decoder.pending.delete(id);
    drop(decoder);
    throw new DicomError('unsupported', `decoder worker: ${String(err)}`);
  }
  return answer;
}
