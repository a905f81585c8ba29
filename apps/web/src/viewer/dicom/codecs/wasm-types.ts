/** What the viewer uses of the codecs' embind classes. */
export interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  /** Frees the decoder's WebAssembly memory. */
  delete(): void;
}

export type J2KDecoder = WasmDecoder;

export interface JpegLSDecoder extends WasmDecoder {
  /** 0: planes one after another, 1: line, 2: sample interleaved. */
  getInterleaveMode(): number;
  getNearLossless(): number;
}
