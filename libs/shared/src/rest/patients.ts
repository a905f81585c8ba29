import { z } from 'zod';
import { text } from '../text';
import { IsoDateSchema } from './common';

export const SEXES = ['male', 'female', 'other'] as const;
export const CONSENT_KINDS = ['teleconsultation', 'recording'] as const;

export const CreatePatientSchema = z.object({
  fullName: text().trim().min(2).max(200),
  dateOfBirth: IsoDateSchema,
  sex: z.enum(SEXES),
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
    sex: z.enum(SEXES).optional(),
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
  kind: z.enum(CONSENT_KINDS),
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
