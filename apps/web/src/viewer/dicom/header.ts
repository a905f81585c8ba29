import { readPalette, type Palette } from './palette';
import { dicomParser, type DataSet, type Element } from './parser';
import { DEFLATED_LE, IMPLICIT_LE } from './syntaxes';
import {
  checkDimensions,
  DicomError,
  type DicomFile,
  type PixelSpacing,
  type VoiWindow,
} from './types';

/** What decoding a frame needs to know, read once from the header. */
export interface DicomHeader extends Omit<DicomFile, 'frame'> {
  ds: DataSet;
  pixelData: Element;
  bitsStored: number;
  signed: boolean;
  planar: boolean;
  slope: number;
  intercept: number;
  /** PALETTE COLOR's lookup table (frames then decode to RGB). */
  palette: Palette | null;
}

/** Inflates the deflated dataset that follows the meta header (bounded; see inflate.ts). */
export type Inflater = (bytes: Uint8Array, position: number) => Uint8Array;

function parseDataSet(bytes: Uint8Array, inflater?: Inflater): DataSet {
  try {
    return dicomParser.parseDicom(bytes, inflater ? ({ inflater } as object) : undefined);
  } catch (err) {
    if (err instanceof DicomError) throw err;
    const e = err as { message?: string; exception?: string };
    throw new DicomError('not_dicom', e?.exception ?? e?.message ?? String(err));
  }
}

/** The file's transfer syntax, from the meta header alone (to pick codecs before parsing). */
export function readTransferSyntax(bytes: Uint8Array): string {
  try {
    return dicomParser.readPart10Header(bytes).string('x00020010')?.trim() ?? IMPLICIT_LE;
  } catch (err) {
    const e = err as { message?: string; exception?: string };
    throw new DicomError('not_dicom', e?.exception ?? e?.message ?? String(err));
  }
}

function numbers(ds: DataSet, tag: string): number[] {
  const n = ds.numStringValues(tag) ?? 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(ds.floatString(tag, i) ?? Number.NaN);
  return out;
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

function spacingOf(ds: DataSet): PixelSpacing | null {
  for (const tag of ['x00280030', 'x00181164']) {
    const [row, column] = numbers(ds, tag);
    if (row > 0 && column > 0)
      return tag === 'x00280030' ? { row, column } : { row, column, approximate: true };
  }
  return null;
}

function windowsOf(ds: DataSet): VoiWindow[] {
  const centers = numbers(ds, 'x00281050');
  const widths = numbers(ds, 'x00281051');
  const out: VoiWindow[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    const explanation = ds.string('x00281055', i)?.trim() || undefined;
    if (Number.isFinite(centers[i]) && widths[i] >= 1)
      out.push({ center: centers[i], width: widths[i], ...(explanation && { explanation }) });
  }
  return out;
}

function text(ds: DataSet, tag: string): string | undefined {
  return ds.string(tag)?.trim() || undefined;
}

/** Parses the dataset and reads every header fact; refuses huge or pixel-less files. */
export function readHeader(bytes: Uint8Array, inflater?: Inflater): DicomHeader {
  const ds = parseDataSet(bytes, inflater);
  const transferSyntax = ds.string('x00020010')?.trim() ?? IMPLICIT_LE;
  if (transferSyntax === DEFLATED_LE && !inflater)
    throw new DicomError('compressed', `transfer syntax ${transferSyntax}`);
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const pixelData = ds.elements.x7fe00010;
  if (!pixelData || !rows || !columns) throw new DicomError('no_pixels', 'no pixel data');
  checkDimensions(rows, columns);
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  const position = numbers(ds, 'x00200032');
  const photometric = text(ds, 'x00280004') ?? 'MONOCHROME2';
  return {
    ds,
    pixelData,
    rows,
    columns,
    frameCount: Math.max(1, ds.intString('x00280008') ?? 1),
    transferSyntax,
    photometric,
    samplesPerPixel: ds.uint16('x00280002') ?? 1,
    bitsAllocated,
    bitsStored: ds.uint16('x00280101') ?? bitsAllocated,
    signed: ds.uint16('x00280103') === 1,
    planar: ds.uint16('x00280006') === 1,
    slope: finite(ds.floatString('x00281053')) || 1,
    intercept: finite(ds.floatString('x00281052')) ?? 0,
    pixelSpacing: spacingOf(ds),
    seriesInstanceUid: text(ds, 'x0020000e'),
    sopInstanceUid: text(ds, 'x00080018'),
    instanceNumber: finite(ds.intString('x00200013')),
    imagePositionPatient:
      position.length === 3 && position.every(Number.isFinite)
        ? (position as [number, number, number])
        : undefined,
    sliceLocation: finite(ds.floatString('x00201041')),
    modality: text(ds, 'x00080060'),
    bodyPart: text(ds, 'x00180015'),
    patientName: text(ds, 'x00100010'),
    studyDescription: text(ds, 'x00081030'),
    windows: windowsOf(ds),
    palette: photometric === 'PALETTE COLOR' ? readPalette(ds) : null,
  };
}
