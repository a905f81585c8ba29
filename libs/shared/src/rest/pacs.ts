import { z } from 'zod';
import { text } from '../text';
import { InstantSchema, IsoDateSchema } from './common';
import { PersonRefSchema } from './list';

/**
 * A facility's PACS, reached over DICOMweb (QIDO-RS to search, WADO-RS to retrieve). Secrets
 * (a password or a bearer token) are written, never read back: answers say `hasPassword`.
 */
export const PACS_AUTH_KINDS = ['none', 'basic', 'bearer'] as const;
export const PacsAuthKindSchema = z.enum(PACS_AUTH_KINDS);
export type PacsAuthKind = z.infer<typeof PacsAuthKindSchema>;

/** An import runs in the background: `running` until every instance was stored or it failed. */
export const PACS_IMPORT_STATUSES = ['running', 'done', 'failed'] as const;
export const PacsImportStatusSchema = z.enum(PACS_IMPORT_STATUSES);
export type PacsImportStatus = z.infer<typeof PacsImportStatusSchema>;

/** A DICOM UID: dot-separated numbers, at most 64 characters. */
export const DicomUidSchema = z
  .string()
  .trim()
  .max(64)
  .regex(/^[0-9]+(\.[0-9]+)*$/, 'must be a DICOM UID (digits and dots)');

/** `PUT /facilities/:id/pacs`. A secret left out keeps the stored one (forms never show it). */
export const PutPacsConfigSchema = z
  .object({
    baseUrl: z
      .string()
      .trim()
      .max(500)
      .regex(/^https?:\/\/[^\s]+$/i, 'must be an http:// or https:// URL (the DICOMweb root)'),
    label: text().trim().max(100).optional(),
    authKind: PacsAuthKindSchema,
    username: text().trim().min(1).max(200).optional(),
    password: text().min(1).max(500).optional(),
    token: text().trim().min(1).max(4000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.authKind === 'basic' && !v.username)
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'Required for basic auth' });
  });
export type PutPacsConfig = z.infer<typeof PutPacsConfigSchema>;

export const PacsConfigSchema = z.object({
  facilityId: z.uuid(),
  baseUrl: z.string(),
  label: z.string().nullable(),
  authKind: PacsAuthKindSchema,
  username: z.string().nullable(),
  /** A password (basic) is stored, encrypted; it is never sent back. */
  hasPassword: z.boolean(),
  /** A bearer token is stored, encrypted; it is never sent back. */
  hasToken: z.boolean(),
  updatedAt: InstantSchema,
});
export type PacsConfig = z.infer<typeof PacsConfigSchema>;

/** `POST /facilities/:id/pacs/test`: the PACS answered a QIDO-RS query, or why not. */
export const PacsTestResultSchema = z.object({
  ok: z.boolean(),
  /** Why not (pacs_unreachable, pacs_timeout, pacs_auth_failed, pacs_bad_answer). */
  code: z.string().optional(),
  message: z.string(),
});
export type PacsTestResult = z.infer<typeof PacsTestResultSchema>;

/** DICOM code string (modality): capitals, digits, underscore. */
const ModalitySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9_]{1,16}$/, 'must be a DICOM modality such as CT, MR, CR, DX, US');

/** `GET /facilities/:id/pacs/studies`: at least one criterion; dates are the study date. */
export const PacsStudyQuerySchema = z
  .object({
    patientId: text().trim().min(1).max(64).optional(),
    patientName: text().trim().min(2).max(64).optional(),
    dateFrom: IsoDateSchema.optional(),
    dateTo: IsoDateSchema.optional(),
    modality: ModalitySchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .superRefine((q, ctx) => {
    if (!q.patientId && !q.patientName && !q.dateFrom && !q.dateTo && !q.modality)
      ctx.addIssue({
        code: 'custom',
        path: ['patientId'],
        message: 'Give a patient ID, a name, a date or a modality to search by',
      });
    if (q.dateFrom && q.dateTo && q.dateFrom > q.dateTo)
      ctx.addIssue({ code: 'custom', path: ['dateTo'], message: 'must not be before dateFrom' });
  });
export type PacsStudyQuery = z.infer<typeof PacsStudyQuerySchema>;

export const PacsStudySchema = z.object({
  studyUid: z.string(),
  /** YYYY-MM-DD, when the PACS knows it. */
  date: z.string().nullable(),
  description: z.string().nullable(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int().nullable(),
  instanceCount: z.number().int().nullable(),
  patientName: z.string().nullable(),
  patientId: z.string().nullable(),
  accessionNumber: z.string().nullable(),
});
export type PacsStudy = z.infer<typeof PacsStudySchema>;

export const PacsSeriesSchema = z.object({
  seriesUid: z.string(),
  modality: z.string().nullable(),
  number: z.number().int().nullable(),
  description: z.string().nullable(),
  instanceCount: z.number().int().nullable(),
});
export type PacsSeries = z.infer<typeof PacsSeriesSchema>;

/** `POST /consultations/:id/pacs-imports`: a whole study, or only the series named. */
export const StartPacsImportSchema = z.object({
  studyUid: DicomUidSchema,
  seriesUids: z.array(DicomUidSchema).min(1).max(200).optional(),
});
export type StartPacsImport = z.infer<typeof StartPacsImportSchema>;

export const PacsImportSchema = z.object({
  id: z.uuid(),
  consultationId: z.uuid(),
  studyUid: z.string(),
  seriesUids: z.array(z.string()).nullable(),
  status: PacsImportStatusSchema,
  /** Instances the import covers (known once the PACS listed them). */
  instancesTotal: z.number().int().nullable(),
  instancesStored: z.number().int(),
  /** Already attached to this request (by an earlier import): not fetched again. */
  instancesSkipped: z.number().int(),
  bytesStored: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  requestedBy: PersonRefSchema,
  createdAt: InstantSchema,
  finishedAt: InstantSchema.nullable(),
});
export type PacsImport = z.infer<typeof PacsImportSchema>;
