import * as dicomParser from 'dicom-parser';

export interface DicomSummary {
  modality?: string;
  bodyPart?: string;
  studyDate?: string; // YYYY-MM-DD
  studyDescription?: string;
  rows?: number;
  columns?: number;
}

/**
 * The tags worth showing next to an image. Parsing stops before the pixel data, so only the
 * header bytes are needed. Patient identifiers inside the file are deliberately not copied out.
 */
export function readDicomSummary(bytes: Buffer): DicomSummary | null {
  try {
    const ds = dicomParser.parseDicom(
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      {
        untilTag: 'x7fe00010',
      },
    );
    const text = (tag: string) => ds.string(tag)?.trim() || undefined;
    const date = text('x00080020');
    const out: DicomSummary = {
      modality: text('x00080060'),
      bodyPart: text('x00180015'),
      studyDate:
        date && /^\d{8}$/.test(date)
          ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`
          : date,
      studyDescription: text('x00081030'),
      rows: ds.elements.x00280010 ? ds.uint16('x00280010') : undefined,
      columns: ds.elements.x00280011 ? ds.uint16('x00280011') : undefined,
    };
    return Object.fromEntries(
      Object.entries(out).filter(([, v]) => v !== undefined),
    ) as DicomSummary;
  } catch {
    return null;
  }
}
