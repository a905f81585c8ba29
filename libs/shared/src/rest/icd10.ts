import { z } from 'zod';
import { text } from '../text';

/**
 * ICD-10 codes as the Ministry of Health's list writes them: a letter, two digits, and an optional
 * subdivision after a dot (J18, J18.9, C34.1, U07.1).
 */
export const ICD10_CODE = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;
export const Icd10CodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(ICD10_CODE, 'must be an ICD-10 code such as J18.9');

/** The 22 chapters of ICD-10 by the first three characters of a code (roman numeral). */
const CHAPTERS: [string, string, string][] = [
  ['I', 'A00', 'B99'],
  ['II', 'C00', 'D48'],
  ['III', 'D50', 'D89'],
  ['IV', 'E00', 'E90'],
  ['V', 'F00', 'F99'],
  ['VI', 'G00', 'G99'],
  ['VII', 'H00', 'H59'],
  ['VIII', 'H60', 'H95'],
  ['IX', 'I00', 'I99'],
  ['X', 'J00', 'J99'],
  ['XI', 'K00', 'K93'],
  ['XII', 'L00', 'L99'],
  ['XIII', 'M00', 'M99'],
  ['XIV', 'N00', 'N99'],
  ['XV', 'O00', 'O99'],
  ['XVI', 'P00', 'P96'],
  ['XVII', 'Q00', 'Q99'],
  ['XVIII', 'R00', 'R99'],
  ['XIX', 'S00', 'T98'],
  ['XX', 'V01', 'Y98'],
  ['XXI', 'Z00', 'Z99'],
  ['XXII', 'U00', 'U99'],
];

export function icd10Chapter(code: string): string | null {
  const head = code.slice(0, 3).toUpperCase();
  return CHAPTERS.find(([, from, to]) => head >= from && head <= to)?.[0] ?? null;
}

/** One entry of the catalogue an admin imports. */
export const Icd10EntrySchema = z.object({
  code: z.string(),
  nameVi: z.string(),
  nameEn: z.string().nullable(),
  chapter: z.string().nullable(),
});
export type Icd10Entry = z.infer<typeof Icd10EntrySchema>;

export const Icd10SearchQuerySchema = z.object({
  q: text().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type Icd10SearchQuery = z.infer<typeof Icd10SearchQuerySchema>;

/** `POST /icd10/import` (CSV: code, Vietnamese name, English name) → what was taken and refused. */
export const Icd10ImportResultSchema = z.object({
  imported: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type Icd10ImportResult = z.infer<typeof Icd10ImportResultSchema>;

/** A diagnosis in minutes or a written opinion: main (primary) or secondary. */
export const DiagnosisInputSchema = z.object({
  code: Icd10CodeSchema,
  primary: z.boolean().default(false),
});
export type DiagnosisInput = z.infer<typeof DiagnosisInputSchema>;

/** As kept with the minutes: the name is frozen when saved, so a signed record never changes. */
export const DiagnosisSchema = z.object({
  code: z.string(),
  name: z.string(),
  primary: z.boolean(),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

/** `GET /reports/diagnoses`: consultations concluded per ICD-10 chapter and month. */
export const DiagnosisReportRowSchema = z.object({
  month: z.string(),
  chapter: z.string(),
  consultations: z.number().int(),
});
export type DiagnosisReportRow = z.infer<typeof DiagnosisReportRowSchema>;
