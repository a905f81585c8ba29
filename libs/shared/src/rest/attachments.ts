import { z } from 'zod';
import { AttachmentFormatSchema } from '../attachment-formats';
import { InstantSchema } from './common';
import { PersonRefSchema } from './list';

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
});
export type Attachment = z.infer<typeof AttachmentSchema>;
