import type { TFunction } from 'i18next';

/**
 * Specialties as the API stores them (Vietnamese names, as in the demo seed), each with a code
 * for its translated label. A specialty the API knows and we do not is shown as it comes.
 */
export const SPECIALTY_CODES: Record<string, string> = {
  'hô hấp': 'respiratory',
  'chẩn đoán hình ảnh': 'radiology',
  'tim mạch': 'cardiology',
  'thần kinh': 'neurology',
  'ung bướu': 'oncology',
  'nhi khoa': 'pediatrics',
  'sản khoa': 'obstetrics',
  'ngoại khoa': 'surgery',
  'nội tổng quát': 'internal_medicine',
  'nội tiết': 'endocrinology',
  'truyền nhiễm': 'infectious_disease',
};

export const SPECIALTIES = Object.keys(SPECIALTY_CODES);

export function specialtyLabel(t: TFunction, value: string | null | undefined): string {
  if (!value) return '—';
  const code = SPECIALTY_CODES[value];
  return code ? t(`specialty.${code}`) : value;
}
