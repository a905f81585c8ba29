import type { PacsSeries, PacsStudy } from '@caunoi/shared';
import type { DicomJson } from './dicomweb-client';

/** Tags the search asks for (`includefield`) and reads back from DICOM JSON. */
export const TAG = {
  studyUid: '0020000D',
  studyDate: '00080020',
  studyDescription: '00081030',
  modalitiesInStudy: '00080061',
  seriesInStudy: '00201206',
  instancesInStudy: '00201208',
  patientName: '00100010',
  patientId: '00100020',
  accessionNumber: '00080050',
  seriesUid: '0020000E',
  modality: '00080060',
  seriesNumber: '00200011',
  seriesDescription: '0008103E',
  instancesInSeries: '00201209',
  sopInstanceUid: '00080018',
  instanceNumber: '00200013',
} as const;

const values = (ds: DicomJson, tag: string): unknown[] => ds[tag]?.Value ?? [];

/** A string value; a person name as its alphabetic form (`NGUYEN^VAN^A`). */
export function str(ds: DicomJson, tag: string): string | null {
  const v = values(ds, tag)[0];
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') {
    const name = (v as { Alphabetic?: unknown }).Alphabetic;
    return typeof name === 'string' ? name.slice(0, 200) : null;
  }
  return String(v).trim().slice(0, 500) || null;
}

export function int(ds: DicomJson, tag: string): number | null {
  const n = Number(values(ds, tag)[0]);
  return Number.isInteger(n) ? n : null;
}

/** DICOM DA (YYYYMMDD) as YYYY-MM-DD. */
export function date(ds: DicomJson, tag: string): string | null {
  const v = str(ds, tag);
  const m = v && /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** YYYY-MM-DD as DICOM DA. */
export const toDicomDate = (iso: string) => iso.replace(/-/g, '');

export const toStudy = (ds: DicomJson): PacsStudy => ({
  studyUid: str(ds, TAG.studyUid) ?? '',
  date: date(ds, TAG.studyDate),
  description: str(ds, TAG.studyDescription),
  modalities: values(ds, TAG.modalitiesInStudy).map(String).slice(0, 20),
  seriesCount: int(ds, TAG.seriesInStudy),
  instanceCount: int(ds, TAG.instancesInStudy),
  patientName: str(ds, TAG.patientName),
  patientId: str(ds, TAG.patientId),
  accessionNumber: str(ds, TAG.accessionNumber),
});

export const toSeries = (ds: DicomJson): PacsSeries => ({
  seriesUid: str(ds, TAG.seriesUid) ?? '',
  modality: str(ds, TAG.modality),
  number: int(ds, TAG.seriesNumber),
  description: str(ds, TAG.seriesDescription),
  instanceCount: int(ds, TAG.instancesInSeries),
});
