import { z } from 'zod';
import { AttachmentFormatSchema } from '../attachment-formats';
import { InstantSchema } from './common';
import { PersonRefSchema } from './list';

/**
 * Where a DICOM attachment sits in its series (a CT/MR stack: the attachments of one consultation
 * with the same SeriesInstanceUID). Absent for other files and for DICOM without a series UID.
 */
export const AttachmentSeriesSchema = z.object({
  /** SeriesInstanceUID. */
  uid: z.string(),
  studyUid: z.string().nullable(),
  instanceNumber: z.number().int().nullable(),
  /** Frames in this file (a multi-frame file is a stack of its own). */
  frames: z.number().int().min(1),
  /**
   * 0-based place in the series' viewing order (position along the slice normal, else slice
   * location, else instance number) and the series' instance count; in list answers. A copy of
   * a slice already in the series (same SOPInstanceUID, uploaded again) has neither.
   */
  sliceIndex: z.number().int().min(0).optional(),
  sliceCount: z.number().int().min(1).optional(),
});
export type AttachmentSeries = z.infer<typeof AttachmentSeriesSchema>;

/** `GET /consultations/:id/attachments` items; `POST /consultations/:id/attachments`. */
export const AttachmentSchema = z.object({
  id: z.uuid(),
  consultationId: z.uuid(),
  /** Content address of the bytes. */
  sha256: z.string(),
  kind: AttachmentFormatSchema,
  mediaType: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().min(0),
  /** DICOM: modality, body part, study date, description, rows, columns (no patient tags). */
  metadata: z.record(z.string(), z.unknown()),
  uploadedBy: PersonRefSchema,
  createdAt: InstantSchema,
  series: AttachmentSeriesSchema.nullable().optional(),
  /**
   * Frame count of a multi-frame DICOM (NumberOfFrames > 1), with or without a series UID: the
   * viewer shows such a file as a stack of its frames. Absent for single-frame files.
   */
  frames: z.number().int().min(2).optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** `GET /consultations/:id/series` items: one CT/MR series of the consultation's attachments. */
export const SeriesSchema = z.object({
  uid: z.string(),
  studyUid: z.string().nullable(),
  modality: z.string().nullable(),
  description: z.string().nullable(),
  /** The series' attachments in viewing order (see AttachmentSeriesSchema.sliceIndex). */
  instanceIds: z.array(z.uuid()),
  /** Frames over all its files. */
  frames: z.number().int().min(1),
});
export type Series = z.infer<typeof SeriesSchema>;
