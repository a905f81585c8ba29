/**
 * DICOM in the shared viewer: header facts without decoding (openDicom), frames on demand
 * (file.frame(i)) for every supported transfer syntax, and window/level rendering.
 */
export type { DicomFile, DicomImage, DicomErrorCode, PixelSpacing, VoiWindow } from './types';
export {
  DicomError,
  MAX_DICOM_PIXELS,
  MAX_DICOM_SIDE,
  MAX_INFLATED_BYTES,
  checkDimensions,
} from './types';
export { openDicom, decodeDicomImage, parseDicomImage, type OpenOptions } from './open';
export { renderWindowLevel, windowValue, WINDOW_PRESETS } from './render';
export { JPEG_BASELINE, JPEG_LOSSLESS, JPEG_LS, JPEG_2000, frameEncodingOf } from './syntaxes';
