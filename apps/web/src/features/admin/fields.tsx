import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FACILITY_LEVELS, REGIONS } from '@caunoi/shared';
import type { Facility, Region } from '@caunoi/shared';
import { fieldErrorKey } from '../../app/errors';
import { FieldError } from '../../app/ui';
import { SPECIALTIES, specialtyLabel } from '../../shared/specialties';

/** A labelled text input with the API's message for its field under it. */
export function TextField({
  label,
  field,
  error,
  value,
  onChange,
  type = 'text',
  required,
  minLength,
}: {
  label: string;
  field: string;
  error: unknown;
  value: string;
  onChange: (v: string) => void;
  type?: 'text' | 'email' | 'password';
  required?: boolean;
  minLength?: number;
}) {
  return (
    <label>
      {label}
      <input
        type={type}
        required={required}
        minLength={minLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!fieldErrorKey(error, field)}
      />
      <FieldError error={error} field={field} />
    </label>
  );
}

/** A labelled control (select, custom input) with the API's message for its field under it. */
export function Field({
  label,
  field,
  error,
  children,
}: {
  label: string;
  field: string;
  error: unknown;
  children: ReactNode;
}) {
  return (
    <label>
      {label}
      {children}
      <FieldError error={error} field={field} />
    </label>
  );
}

export function FacilitySelect({
  facilities,
  value,
  onChange,
  invalid,
  exclude,
}: {
  facilities: Facility[];
  value: string;
  onChange: (v: string) => void;
  invalid?: boolean;
  exclude?: string;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid}>
      <option value="">—</option>
      {facilities
        .filter((f) => f.id !== exclude)
        .map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
    </select>
  );
}

export function LevelSelect({
  value,
  onChange,
}: {
  value: Facility['level'];
  onChange: (v: Facility['level']) => void;
}) {
  const { t } = useTranslation();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Facility['level'])}>
      {FACILITY_LEVELS.map((l) => (
        <option key={l} value={l}>
          {t(`level.${l}`)}
        </option>
      ))}
    </select>
  );
}

/** A facility's region; empty = none (its rooms go to the least-loaded SFU node anywhere). */
export function RegionSelect({
  value,
  onChange,
}: {
  value: Region | '';
  onChange: (v: Region | '') => void;
}) {
  const { t } = useTranslation();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as Region | '')}>
      <option value="">{t('region.none')}</option>
      {REGIONS.map((r) => (
        <option key={r} value={r}>
          {t(`region.${r}`)}
        </option>
      ))}
    </select>
  );
}

export function SpecialtySelect({
  value,
  onChange,
}: {
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslation();
  const known = SPECIALTIES.includes(value) || !value;
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">—</option>
      {!known ? <option value={value}>{value}</option> : null}
      {SPECIALTIES.map((s) => (
        <option key={s} value={s}>
          {specialtyLabel(t, s)}
        </option>
      ))}
    </select>
  );
}
