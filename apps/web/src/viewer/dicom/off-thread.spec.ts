import { DicomError } from '.';

/**
 * The codec worker pool, with a stand-in Worker (jest has none): how frames are spread over
 * workers and how answers, refusals and a worker that fails to load come back.
 */
type Message = {
  id: number;
  codec: string;
  size: { rows: number; columns: number };
  bytes: Uint8Array;
};
const started: FakeWorker[] = [];
let failLoads = 0;

class FakeWorker {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  received: Message[] = [];
  constructor() {
    if (failLoads > 0) {
      failLoads--;
      throw new Error('worker script failed to load');
    }
    started.push(this);
  }
  postMessage(message: Message, transfer: ArrayBuffer[]) {
    expect(transfer).toEqual([message.bytes.buffer]); // transferred, not cloned
    this.received.push(message);
  }
  /** Answers the oldest request: a frame, or a refusal when the bytes start with 0xEE. */
  answer() {
    const m = this.received.shift()!;
    const data =
      m.bytes[0] === 0xee
        ? { id: m.id, error: { code: 'too_large', message: 'stream is huge' } }
        : { id: m.id, frame: { width: m.size.columns, height: m.size.rows, samples: m.bytes } };
    this.onmessage!({ data });
  }
}

jest.mock('./codecs/wasm-worker?worker', () => ({ __esModule: true, default: FakeWorker }), {
  virtual: true,
});

/** A fresh pool (its size is read from navigator when the module loads). */
async function load(cores: number) {
  Object.defineProperty(globalThis, 'navigator', {
    value: { hardwareConcurrency: cores },
    configurable: true,
  });
  let mod!: typeof import('./codecs/off-thread');
  await jest.isolateModulesAsync(async () => {
    mod = await import('./codecs/off-thread');
  });
  return mod.decodeOffThread;
}
const size = { rows: 2, columns: 3 };
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  started.length = 0;
  failLoads = 0;
});

it('spreads concurrent frames over up to cores − 1 workers (max 3) and reuses idle ones', async () => {
  const decode = await load(8);
  const frames = [1, 2, 3, 4, 5].map((v) => decode('jpeg2000', size, new Uint8Array([v])));
  await settle();
  expect(started).toHaveLength(3);
  expect(started.map((w) => w.received.length)).toEqual([2, 2, 1]);
  started.forEach((w) => w.received.length && w.answer());
  started.forEach((w) => w.received.length && w.answer());
  const done = await Promise.all(frames);
  expect(done.map((f) => f.samples[0])).toEqual([1, 2, 3, 4, 5]);
  // All idle again: the next frame goes to one of them, not to a fourth worker.
  void decode('jpeg-ls', size, new Uint8Array([9]));
  await settle();
  expect(started.map((w) => w.received.length)).toEqual([1, 0, 0]);
  expect(started).toHaveLength(3);
});

it('uses one worker on a two-core machine, and copies the bytes it transfers', async () => {
  const decode = await load(2);
  const file = new Uint8Array([7, 7, 7, 7]);
  const frame = decode('jpeg2000', size, file.subarray(1, 3));
  const other = decode('jpeg2000', size, new Uint8Array([8]));
  await settle();
  expect(started).toHaveLength(1);
  expect(started[0].received[0].bytes.buffer).not.toBe(file.buffer);
  expect(started[0].received[0].bytes.buffer.byteLength).toBe(2);
  started[0].answer();
  started[0].answer();
  expect((await frame).samples).toEqual(new Uint8Array([7, 7]));
  await other;
});

it('keeps a refusal’s code, and refuses while the worker script cannot load', async () => {
  const decode = await load(2);
  const refused = decode('jpeg2000', size, new Uint8Array([0xee]));
  await settle();
  started[0].answer();
  // (isolateModules loads its own copy of the error class: compare by name and fields)
  await expect(refused).rejects.toMatchObject({ code: 'too_large', message: 'stream is huge' });
  await expect(refused).rejects.toHaveProperty('constructor.name', DicomError.name);

  const offline = await load(2);
  failLoads = 1;
  await expect(offline('jpeg-ls', size, new Uint8Array([1]))).rejects.toMatchObject({
    code: 'unsupported',
  });
  const again = offline('jpeg-ls', size, new Uint8Array([2])); // a new worker, which loads
  await settle();
  expect(started).toHaveLength(2);
  started[1].answer();
  expect((await again).samples[0]).toBe(2);
});
