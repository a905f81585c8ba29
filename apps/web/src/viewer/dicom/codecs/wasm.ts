import type { DecodedFrame } from '../samples';
import { checkDimensions, DicomError } from '../types';
import { checkJ2kFrameSize, checkJpegFrameSize } from './jpeg-header';
import type { FrameInfo, J2KDecoder, JpegLSDecoder, WasmDecoder } from './wasm-types';

/**
 * The WebAssembly codecs (OpenJPEG for JPEG 2000, CharLS for JPEG-LS), each fetched and compiled
 * once, on the first file that needs it. Vite emits the .wasm as an asset (`?url`); under Node
 * (jest) the Emscripten loader finds it next to its script instead.
 */
type Factory = (module: {
  print: (text: string) => void;
  locateFile: (file: string, dir: string) => string;
}) => Promise<unknown>;

async function load<T>(
  factory: Promise<{ default: Factory }>,
  url: Promise<{ default: string }>,
): Promise<T> {
  const [f, u] = await Promise.all([factory, url]);
  return (await f.default({
    print: () => {}, // OpenJPEG narrates every header it reads
    locateFile: (file, dir) => (file.endsWith('.wasm') && u.default) || dir + file,
  })) as T;
}

/** What the codecs need of the header: the frame size they must produce. */
export interface FrameSize {
  rows: number;
  columns: number;
}

let openjpeg: Promise<{ J2KDecoder: new () => J2KDecoder }> | undefined;
let charls: Promise<{ JpegLSDecoder: new () => JpegLSDecoder }> | undefined;

function samplesOf(decoded: Uint8Array, info: FrameInfo, signed: boolean) {
  const copy = decoded.slice(); // out of the WebAssembly heap, which the next decode reuses
  if (info.bitsPerSample <= 8) return copy;
  return signed
    ? new Int16Array(copy.buffer, 0, copy.length >> 1)
    : new Uint16Array(copy.buffer, 0, copy.length >> 1);
}

function checkInfo(h: FrameSize, info: FrameInfo): void {
  checkDimensions(info.height, info.width);
  if (info.width !== h.columns || info.height !== h.rows)
    throw new DicomError(
      'not_dicom',
      `stream is ${info.width}×${info.height}, header says ${h.columns}×${h.rows}`,
    );
  if (info.bitsPerSample > 16)
    throw new DicomError('unsupported', `${info.bitsPerSample}-bit samples`);
}

/**
 * One decode on a fresh codec instance: the stream in, the frame checked against the header,
 * the samples copied out, the instance's WebAssembly memory freed whatever happens. A codec's own
 * failure is a file we cannot read (`not_dicom`, named by `format`); our refusals pass unchanged.
 */
function run<D extends WasmDecoder>(
  decoder: D,
  bytes: Uint8Array,
  h: FrameSize,
  format: string,
  layout: (info: FrameInfo, decoder: D) => Omit<DecodedFrame, 'width' | 'height' | 'components'>,
): DecodedFrame {
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
    const info = decoder.getFrameInfo();
    checkInfo(h, info);
    return {
      width: info.width,
      height: info.height,
      components: info.componentCount,
      ...layout(info, decoder),
    };
  } catch (err) {
    throw err instanceof DicomError
      ? err
      : new DicomError('not_dicom', `${format}: ${String(err)}`);
  } finally {
    decoder.delete();
  }
}

/** JPEG 2000: OpenJPEG applies the stream's own colour transform (RCT/ICT), so colour is RGB. */
export async function decodeJpeg2000(h: FrameSize, bytes: Uint8Array): Promise<DecodedFrame> {
  checkJ2kFrameSize(bytes, h.rows, h.columns); // before OpenJPEG allocates anything
  openjpeg ??= load(
    import('@cornerstonejs/codec-openjpeg/decodewasmjs'),
    import('@cornerstonejs/codec-openjpeg/decodewasm?url'),
  );
  return run(new (await openjpeg).J2KDecoder(), bytes, h, 'JPEG 2000', (info, decoder) => ({
    planar: false,
    rgb: info.componentCount === 3,
    numeric: true,
    samples: samplesOf(decoder.getDecodedBuffer(), info, !!info.isSigned),
  }));
}

/** JPEG-LS (lossless and near-lossless) with CharLS. */
export async function decodeJpegLs(h: FrameSize, bytes: Uint8Array): Promise<DecodedFrame> {
  checkJpegFrameSize(bytes, h.rows, h.columns); // CharLS has no header-only read
  charls ??= load(
    import('@cornerstonejs/codec-charls/decodewasmjs'),
    import('@cornerstonejs/codec-charls/decodewasm?url'),
  );
  return run(new (await charls).JpegLSDecoder(), bytes, h, 'JPEG-LS', (info, decoder) => ({
    planar: info.componentCount > 1 && decoder.getInterleaveMode() === 0,
    rgb: false,
    // JPEG-LS has no signed mode: signed data comes back as its bit pattern (masked later).
    samples: samplesOf(decoder.getDecodedBuffer(), info, false),
  }));
}
