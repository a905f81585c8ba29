import type { TFunction } from 'i18next';
import { SPECIALTY_CODES } from '@caunoi/shared';

export { SPECIALTIES } from '@caunoi/shared';

/** The translated label of a specialty; one the client has no label for is shown as stored. */
export function specialtyLabel(t: TFunction, value: string | null | undefined): string {
  if (!value) return '—';
  const code = SPECIALTY_CODES[value];
  return code ? t(`specialty.${code}`) : value;
}
