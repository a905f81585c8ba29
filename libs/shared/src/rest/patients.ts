import { z } from 'zod';
import { IsoDateSchema } from './common';

export const SEXES = ['male', 'female', 'other'] as const;
export const CONSENT_KINDS = ['teleconsultation', 'recording'] as const;

export const CreatePatientSchema = z.object({
  fullName: z.string().trim().min(2).max(200),
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

export const RecordConsentSchema = z.object({
  kind: z.enum(CONSENT_KINDS),
  granted: z.boolean(),
  note: z.string().max(1000).optional(),
});
export type RecordConsent = z.infer<typeof RecordConsentSchema>;

export const PatientSearchQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export type PatientSearchQuery = z.infer<typeof PatientSearchQuerySchema>;
