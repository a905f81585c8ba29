import { z } from 'zod';
import { text } from '../text';
import { InstantSchema, IsoDateSchema } from './common';
import { PersonRefSchema } from './list';

export const SEXES = ['male', 'female', 'other'] as const;
export const SexSchema = z.enum(SEXES);
export type Sex = z.infer<typeof SexSchema>;

/** What a patient consents to: the teleconsultation itself, and recording it. */
export const CONSENT_KINDS = ['teleconsultation', 'recording'] as const;
export const ConsentKindSchema = z.enum(CONSENT_KINDS);
export type ConsentKind = z.infer<typeof ConsentKindSchema>;

export const CreatePatientSchema = z.object({
  fullName: text().trim().min(2).max(200),
  dateOfBirth: IsoDateSchema,
  sex: SexSchema,
  /** Căn cước công dân: 12 digits. */
  nationalId: z
    .string()
    .regex(/^\d{12}$/, 'nationalId must be exactly 12 digits')
    .optional(),
  /** Mã thẻ BHYT: 15 characters (2 letters, then 13 letters/digits). */
  insuranceNumber: z
    .string()
    .regex(
      /^[A-Z]{2}[A-Z0-9]{13}$/,
      'insuranceNumber must be 15 characters: 2 capital letters then 13 letters or digits',
    )
    .optional(),
});
export type CreatePatient = z.infer<typeof CreatePatientSchema>;

/**
 * A correction asked for by the patient or found by the registering site: only the fields given
 * change, `null` clears an optional identifier, and the reason is kept with the revision.
 */
export const CorrectPatientSchema = z
  .object({
    fullName: CreatePatientSchema.shape.fullName.optional(),
    dateOfBirth: IsoDateSchema.optional(),
    sex: SexSchema.optional(),
    nationalId: CreatePatientSchema.shape.nationalId.unwrap().nullable().optional(),
    insuranceNumber: CreatePatientSchema.shape.insuranceNumber.unwrap().nullable().optional(),
    reason: z.string().trim().min(3).max(1000),
  })
  .refine(
    (v) => ['fullName', 'dateOfBirth', 'sex', 'nationalId', 'insuranceNumber'].some((k) => k in v),
    { message: 'name at least one field to correct', path: ['fullName'] },
  );
export type CorrectPatient = z.infer<typeof CorrectPatientSchema>;

export const RecordConsentSchema = z.object({
  kind: ConsentKindSchema,
  granted: z.boolean(),
  note: text().max(1000).optional(),
});
export type RecordConsent = z.infer<typeof RecordConsentSchema>;

export const PatientSearchQuerySchema = z.object({
  q: text().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type PatientSearchQuery = z.infer<typeof PatientSearchQuerySchema>;

/** `GET /patients` items, and the body of `POST /patients` (with `consents: []`). */
export const PatientSchema = z.object({
  id: z.uuid(),
  /** The facility that registered the patient. */
  facilityId: z.uuid(),
  fullName: z.string(),
  dateOfBirth: IsoDateSchema,
  sex: SexSchema,
  nationalId: z.string().nullable(),
  insuranceNumber: z.string().nullable(),
  createdBy: z.uuid(),
  createdAt: InstantSchema,
});
export type Patient = z.infer<typeof PatientSchema>;

/** One recorded decision; the latest of each kind counts. */
export const ConsentSchema = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  kind: ConsentKindSchema,
  granted: z.boolean(),
  note: z.string().nullable(),
  recordedBy: PersonRefSchema,
  recordedAt: InstantSchema,
});
export type Consent = z.infer<typeof ConsentSchema>;

/** `GET /patients/:id`, `POST /patients`. */
/** Where a patient's consent of one kind stands: the latest record counts. */
export const CONSENT_STATES = ['granted', 'withdrawn', 'not_recorded'] as const;
export const ConsentStateSchema = z.enum(CONSENT_STATES);
export type ConsentState = z.infer<typeof ConsentStateSchema>;
/**
 * `consentState` of `GET /patients/:id`: teleconsultation gates booking, admission and sharing
 * (once withdrawn); recording will gate recording.
 */
export const ConsentStatesSchema = z.object({
  teleconsultation: ConsentStateSchema,
  recording: ConsentStateSchema,
});
export type ConsentStates = z.infer<typeof ConsentStatesSchema>;

export const PatientDetailSchema = PatientSchema.extend({
  consents: z.array(ConsentSchema),
  /** On `GET /patients/:id`. */
  consentState: ConsentStatesSchema.optional(),
});
export type PatientDetail = z.infer<typeof PatientDetailSchema>;

const PatientIdentitySchema = PatientSchema.pick({
  fullName: true,
  dateOfBirth: true,
  sex: true,
  nationalId: true,
  insuranceNumber: true,
}).partial();

/** `GET /patients/:id/history` items: one correction, with what it replaced and why. */
export const PatientRevisionSchema = z.object({
  id: z.string(),
  changedAt: InstantSchema,
  changedBy: PersonRefSchema,
  reason: z.string(),
  before: PatientIdentitySchema,
  after: PatientIdentitySchema,
});
export type PatientRevision = z.infer<typeof PatientRevisionSchema>;
