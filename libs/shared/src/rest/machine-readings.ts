import { z } from 'zod';
import { text } from '../text';
import { InstantSchema } from './common';
import { FacilityRefSchema, PersonRefSchema } from './list';

/**
 * Machine pre-reads of images: a facility registers an external reader (an AI service); DICOM
 * images of the kinds it reads are sent to it, de-identified, after upload, and its answer (a FHIR
 * R4 DiagnosticReport) is kept as a suggestion a clinician confirms or rejects finding by finding.
 */

/** A reading waits (and is retried), completes with the reader's findings, or fails with a reason. */
export const MACHINE_READING_STATUSES = ['pending', 'completed', 'failed', 'skipped'] as const;
export type MachineReadingStatus = (typeof MACHINE_READING_STATUSES)[number];

export const MACHINE_FINDING_DECISIONS = ['confirmed', 'rejected'] as const;
export type MachineFindingDecision = (typeof MACHINE_FINDING_DECISIONS)[number];

/** What a registered reader reads unless told otherwise: chest radiographs. */
export const DEFAULT_READER_MODALITIES = ['CR', 'DX', 'DR'] as const;
export const DEFAULT_READER_BODY_PARTS = ['CHEST'] as const;

const dicomCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9_ ]{1,16}$/, 'must be a DICOM code string (letters, digits, _; ≤ 16)');

/** `PUT /facilities/:id/machine-reader`. `token` left out keeps the stored one; null removes it. */
export const MachineReaderSettingsSchema = z.object({
  url: z
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL'),
  token: z.string().min(1).max(4096).nullable().optional(),
  modalities: z
    .array(dicomCode)
    .min(1)
    .max(20)
    .default([...DEFAULT_READER_MODALITIES]),
  bodyParts: z
    .array(dicomCode)
    .min(1)
    .max(20)
    .default([...DEFAULT_READER_BODY_PARTS]),
});
export type MachineReaderSettings = z.infer<typeof MachineReaderSettingsSchema>;

/** A facility's registered reader as the API shows it: the token is never echoed. */
export const MachineReaderSchema = z.object({
  facilityId: z.uuid(),
  url: z.string(),
  hasToken: z.boolean(),
  modalities: z.array(z.string()),
  bodyParts: z.array(z.string()),
  updatedAt: InstantSchema,
});
export type MachineReader = z.infer<typeof MachineReaderSchema>;

/** Where a finding lies, in pixel coordinates of the image (x = column, y = row, from top left). */
export const ImageRegionSchema = z.discriminatedUnion('shape', [
  z.object({
    shape: z.literal('box'),
    points: z.tuple([z.tuple([z.number(), z.number()]), z.tuple([z.number(), z.number()])]),
  }),
  z.object({
    shape: z.literal('polygon'),
    points: z
      .array(z.tuple([z.number(), z.number()]))
      .min(3)
      .max(1000),
  }),
]);
export type ImageRegion = z.infer<typeof ImageRegionSchema>;

export const MachineFindingSchema = z.object({
  id: z.uuid(),
  label: z.string(),
  code: z.object({ system: z.string().nullable(), code: z.string().nullable() }).nullable(),
  /** The reader's own confidence, 0..1. */
  confidence: z.number().min(0).max(1),
  region: ImageRegionSchema,
  review: z
    .object({
      decision: z.enum(MACHINE_FINDING_DECISIONS),
      by: PersonRefSchema,
      at: InstantSchema,
    })
    .nullable(),
});
export type MachineFinding = z.infer<typeof MachineFindingSchema>;

/** `GET /attachments/:id/machine-readings` items. */
export const MachineReadingSchema = z.object({
  id: z.uuid(),
  attachmentId: z.uuid(),
  reader: FacilityRefSchema,
  status: z.enum(MACHINE_READING_STATUSES),
  attempts: z.number().int().min(0),
  failureReason: z.string().nullable(),
  /** Size of the image the coordinates refer to. */
  image: z.object({ columns: z.number().int(), rows: z.number().int() }).nullable(),
  conclusion: z.string().nullable(),
  findings: z.array(MachineFindingSchema),
  createdAt: InstantSchema,
  completedAt: InstantSchema.nullable(),
});
export type MachineReading = z.infer<typeof MachineReadingSchema>;

/** `PUT /machine-findings/:id/review`. */
export const MachineFindingReviewSchema = z.object({
  decision: z.enum(MACHINE_FINDING_DECISIONS),
});
export type MachineFindingReview = z.infer<typeof MachineFindingReviewSchema>;

/*
 * The reader's answer: a FHIR R4 DiagnosticReport whose results are Observations contained in it.
 * Each Observation names the finding (code.text or a coding), its confidence (extension
 * READER_EXTENSIONS.confidence, valueDecimal 0..1) and where it lies (extension
 * READER_EXTENSIONS.region with sub-extensions `shape` (valueCode box|polygon) and `points`
 * (valueString "x,y x,y …" in image pixels)).
 */
export const READER_EXTENSIONS = {
  region: 'urn:caunoi:fhir:extension:image-region',
  confidence: 'urn:caunoi:fhir:extension:confidence',
} as const;

const CodingSchema = z.object({
  system: z.string().max(500).optional(),
  code: z.string().max(200).optional(),
  display: text().max(500).optional(),
});

const ExtensionSchema: z.ZodType<FhirExtension> = z.lazy(() =>
  z.object({
    url: z.string().max(500),
    valueCode: z.string().max(100).optional(),
    valueString: z.string().max(100_000).optional(),
    valueDecimal: z.number().optional(),
    extension: z.array(ExtensionSchema).max(20).optional(),
  }),
);
export interface FhirExtension {
  url: string;
  valueCode?: string;
  valueString?: string;
  valueDecimal?: number;
  extension?: FhirExtension[];
}

export const ReaderObservationSchema = z.object({
  resourceType: z.literal('Observation'),
  id: z.string().min(1).max(64),
  status: z.enum(['registered', 'preliminary', 'final', 'amended']),
  code: z
    .object({ coding: z.array(CodingSchema).max(10).optional(), text: text().max(500).optional() })
    .refine((c) => c.text || c.coding?.some((x) => x.display || x.code), 'must name the finding'),
  extension: z.array(ExtensionSchema).min(2).max(20),
});
export type ReaderObservation = z.infer<typeof ReaderObservationSchema>;

export const ReaderDiagnosticReportSchema = z.object({
  resourceType: z.literal('DiagnosticReport'),
  status: z.enum(['registered', 'partial', 'preliminary', 'final', 'amended']),
  code: z.object({ coding: z.array(CodingSchema).max(10).optional(), text: z.string().optional() }),
  conclusion: text().max(4000).optional(),
  contained: z.array(ReaderObservationSchema).max(100).default([]),
  result: z
    .array(
      z.object({
        reference: z.string().regex(/^#.{1,64}$/, 'must reference a contained Observation (#id)'),
      }),
    )
    .max(100)
    .default([]),
});
export type ReaderDiagnosticReport = z.infer<typeof ReaderDiagnosticReportSchema>;
