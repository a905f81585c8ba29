import type { TFunction } from 'i18next';

/** Specialty codes offered in forms; unknown codes from the API are shown as they come. */
export const SPECIALTIES = [
  'respiratory',
  'radiology',
  'cardiology',
  'neurology',
  'oncology',
  'pediatrics',
  'obstetrics',
  'surgery',
  'internal_medicine',
  'infectious_disease',
] as const;

export function specialtyLabel(t: TFunction, code: string | null | undefined): string {
  if (!code) return '—';
  return (SPECIALTIES as readonly string[]).includes(code) ? t(`specialty.${code}`) : code;
}
