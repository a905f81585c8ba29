import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import type { DicomHeader } from '../header';
import type { DecodedFrame } from '../samples';
import { checkJpegFrameSize } from './jpeg-header';

/** JPEG Lossless (process 14) with jpeg-lossless-decoder-js: the stream decides the size. */
export function decodeJpegLossless(h: DicomHeader, bytes: Uint8Array): DecodedFrame {
  checkJpegFrameSize(bytes, h.rows, h.columns);
  const copy = bytes.slice();
  const decoder = new JpegLosslessDecoder();
  const wide = h.bitsAllocated > 8;
  const decoded = decoder.decode(copy.buffer, 0, copy.length, wide ? 2 : 1);
  const { dimX, dimY, numComp } = decoder.frame;
  return {
    width: dimX,
    height: dimY,
    components: numComp,
    planar: false,
    rgb: false,
    samples: wide ? new Uint16Array(decoded) : new Uint8Array(decoded),
  };
}
