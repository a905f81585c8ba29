/** A VOI window (PS3.3 C.11.2.1.2): centre and width in modality units (after rescale). */
export interface VoiWindow {
  center: number;
  width: number;
  /** (0028,1055) Window Center & Width Explanation, e.g. "LUNG". */
  explanation?: string;
}

/** Physical size of one pixel in mm, between rows and between columns. */
export interface PixelSpacing {
  row: number;
  column: number;
  /**
   * From (0018,1164) Imager Pixel Spacing: at the detector, not at the patient (a projection
   * radiograph magnifies by ~10 %), so measurements with it are approximate.
   */
  approximate?: true;
}

/** One decoded frame, ready for window/level rendering. */
export interface DicomImage {
  rows: number;
  columns: number;
  /**
   * Greyscale (samples 1): stored values, masked to Bits Stored and sign-extended, one per pixel.
   * Colour (samples 3): interleaved 8-bit R, G, B — YBR, planar and palette data already converted.
   */
  pixels: Int16Array | Uint16Array | Uint8Array;
  samples: 1 | 3;
  slope: number;
  intercept: number;
  /** The file's first VOI window, or one computed from the pixel range (identity for colour). */
  window: { center: number; width: number };
  /** MONOCHROME1: low values are white. */
  invert: boolean;
  pixelSpacing: PixelSpacing | null;
  patientName?: string;
  modality?: string;
  studyDescription?: string;
}

/** Header facts of a DICOM file, read without decoding any pixels. */
export interface DicomFile {
  rows: number;
  columns: number;
  frameCount: number;
  transferSyntax: string;
  photometric: string;
  samplesPerPixel: number;
  bitsAllocated: number;
  /** mm: (0028,0030) Pixel Spacing, else (0018,1164) Imager Pixel Spacing. */
  pixelSpacing: PixelSpacing | null;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  instanceNumber?: number;
  imagePositionPatient?: [number, number, number];
  sliceLocation?: number;
  modality?: string;
  bodyPart?: string;
  patientName?: string;
  studyDescription?: string;
  /** Every VOI window in the file, in file order (offer them as presets). */
  windows: VoiWindow[];
  /** Decodes one frame (0-based). Each call decodes afresh; cache on the caller's side. */
  frame(index: number): Promise<DicomImage>;
}

export type DicomErrorCode = 'not_dicom' | 'compressed' | 'unsupported' | 'no_pixels' | 'too_large';

export class DicomError extends Error {
  constructor(
    readonly code: DicomErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The largest image the viewer decodes: 16384 on a side and 64 megapixels, beyond any radiograph
 * (a 43×43 cm detector at 100 µm is ~4300 px). Checked before anything is allocated, so a file
 * whose header claims a huge image cannot make the tab allocate gigabytes.
 */
export const MAX_DICOM_SIDE = 16384;
export const MAX_DICOM_PIXELS = 64 * 1024 * 1024;

/**
 * The most a deflated file may inflate to: 64 MiB, the API's own cap when it reads an upload's
 * header (MAX_DICOM_INFLATED_BYTES), so nothing the API accepted is refused here. A few hundred
 * kB of zeros inflate to hundreds of MB: inflation stops at the cap instead of trusting the file.
 */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export function checkDimensions(rows: number, columns: number): void {
  if (rows > MAX_DICOM_SIDE || columns > MAX_DICOM_SIDE || rows * columns > MAX_DICOM_PIXELS)
    throw new DicomError('too_large', `image of ${columns}×${rows} pixels`);
}
