import { z } from 'zod';
import { RoleSchema } from '../roles';
import { text } from '../text';
import { InstantSchema } from './common';
import { DiagnosisInputSchema, DiagnosisSchema } from './icd10';

/** Biên bản hội chẩn: a draft until the chair signs it; a signed version never changes. */
export const MINUTES_STATUSES = ['draft', 'signed'] as const;
export const MinutesStatusSchema = z.enum(MINUTES_STATUSES);
export type MinutesStatus = z.infer<typeof MinutesStatusSchema>;

export const MinutesInputSchema = z.object({
  summary: text().trim().min(1).max(20000),
  opinions: text().trim().min(1).max(50000),
  conclusion: text().trim().min(1).max(20000),
  recommendations: text().trim().min(1).max(20000),
  chairId: z.uuid(),
  secretaryId: z.uuid().optional(),
  /** ICD-10 diagnoses of the conclusion, from the catalogue; at most one primary. */
  diagnoses: z
    .array(DiagnosisInputSchema)
    .max(20)
    .refine((d) => d.filter((x) => x.primary).length <= 1, 'at most one primary diagnosis')
    .optional(),
});
export type MinutesInput = z.infer<typeof MinutesInputSchema>;

/**
 * The chair signs what they read: the `version` and, for a draft saved several times, its
 * `revision` (both as returned by GET …/minutes). 409 `minutes_version_changed` if either moved.
 */
export const SignMinutesSchema = z.object({
  version: z.number().int().min(1),
  revision: z.number().int().min(1).optional(),
});
export type SignMinutes = z.infer<typeof SignMinutesSchema>;

/** Someone who was in the conference (from attendance), frozen into the minutes at signing. */
export const PresentParticipantSchema = z.object({
  userId: z.uuid(),
  fullName: z.string(),
  roles: z.array(RoleSchema),
  licenseNumber: z.string().nullable(),
  facilityId: z.uuid().nullable(),
  facilityName: z.string().nullable(),
  joinedAt: InstantSchema,
  leftAt: InstantSchema.nullable(),
});
export type PresentParticipant = z.infer<typeof PresentParticipantSchema>;

/** A clinician as the minutes name them (chair, secretary, signer). */
export const MinutesPersonSchema = z.object({
  id: z.uuid(),
  fullName: z.string(),
  licenseNumber: z.string().nullable(),
});
export type MinutesPerson = z.infer<typeof MinutesPersonSchema>;

export const MinutesVersionSchema = z.object({
  id: z.uuid(),
  version: z.number().int().min(1),
  status: MinutesStatusSchema,
  signedAt: InstantSchema.nullable(),
  supersedesId: z.uuid().nullable(),
});
export type MinutesVersion = z.infer<typeof MinutesVersionSchema>;

/**
 * `GET|PUT /consultations/:id/minutes`, `POST …/minutes/sign`: the working version (open draft,
 * else the latest signed one) with names resolved and every version listed. For a draft,
 * `participants` previews who is present so far.
 */
export const MinutesViewSchema = z.object({
  id: z.uuid(),
  consultationId: z.uuid(),
  version: z.number().int().min(1),
  /** Saves of this version's draft: the chair's signature names the revision they read. */
  revision: z.number().int().min(1),
  status: MinutesStatusSchema,
  summary: z.string(),
  opinions: z.string(),
  conclusion: z.string(),
  recommendations: z.string(),
  diagnoses: z.array(DiagnosisSchema),
  chairId: z.uuid(),
  secretaryId: z.uuid().nullable(),
  sessionId: z.uuid().nullable(),
  participants: z.array(PresentParticipantSchema),
  /** The signed version this one corrects. */
  supersedesId: z.uuid().nullable(),
  createdBy: z.uuid(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
  signedAt: InstantSchema.nullable(),
  chair: MinutesPersonSchema.nullable(),
  secretary: MinutesPersonSchema.nullable(),
  signedBy: MinutesPersonSchema.nullable(),
  versions: z.array(MinutesVersionSchema),
});
export type MinutesView = z.infer<typeof MinutesViewSchema>;
