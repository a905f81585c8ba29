declare module 'jpeg-lossless-decoder-js' {
  /** JPEG Lossless (ITU T.81 process 14) decoder; output is 8- or 16-bit samples. */
  export class Decoder {
    constructor(buffer?: ArrayBuffer, numBytes?: number);
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): ArrayBuffer;
    decompress(buffer: ArrayBuffer, offset?: number, length?: number): ArrayBuffer;
    frame: { dimX: number; dimY: number; numComp: number; precision: number };
  }
}
