import type { Attachment } from '@caunoi/shared';

let n = 0;

/**
 * Spec fixtures: a CT DICOM attachment unless told otherwise, each with its own id and a later
 * upload time than the one before (within a minute).
 */
export function att(over: Partial<Attachment> & { fileName: string }): Attachment {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    consultationId: '00000000-0000-4000-8000-000000000000',
    sha256: 'x',
    kind: 'dicom',
    mediaType: 'application/dicom',
    sizeBytes: 1,
    metadata: { modality: 'CT', studyDescription: 'CT NGUC' },
    uploadedBy: { id: 'u', fullName: 'U' },
    createdAt: `2026-12-01T00:00:${String(n % 60).padStart(2, '0')}Z`,
    series: null,
    ...over,
  };
}
