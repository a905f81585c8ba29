import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActorPicker, PatientPicker, type Chosen } from './AuditPickers';

export interface AuditFilterValues {
  patientId: string;
  actorId: string;
  action: string;
  /** datetime-local values, Vietnam wall-clock time. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilterValues = {
  patientId: '',
  actorId: '',
  action: '',
  from: '',
  to: '',
};

/** A labelled input of the filter form. */
function FilterInput({
  label,
  type,
  value,
  onChange,
}: {
  label: string;
  type?: 'datetime-local';
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <label className="inline-label">
      {label}
      <input type={type} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** Audit log filters: people and patients picked by name, times in Vietnam time. */
export function AuditFilters({ onApply }: { onApply: (f: AuditFilterValues) => void }) {
  const { t } = useTranslation();
  const [actor, setActor] = useState<Chosen | null>(null);
  const [patient, setPatient] = useState<Chosen | null>(null);
  const [rest, setRest] = useState({ action: '', from: '', to: '' });
  return (
    <form
      className="filters audit-filters"
      aria-label={t('admin.auditFilters')}
      onSubmit={(e) => {
        e.preventDefault();
        onApply({
          ...rest,
          action: rest.action.trim(),
          actorId: actor?.id ?? '',
          patientId: patient?.id ?? '',
        });
      }}
    >
      <div className="row wrap">
        <ActorPicker value={actor} onChange={setActor} />
        <PatientPicker value={patient} onChange={setPatient} />
      </div>
      <div className="row wrap">
        <FilterInput
          label={t('admin.audit.action')}
          value={rest.action}
          onChange={(action) => setRest({ ...rest, action })}
        />
        <FilterInput
          label={t('admin.audit.fromVn')}
          type="datetime-local"
          value={rest.from}
          onChange={(from) => setRest({ ...rest, from })}
        />
        <FilterInput
          label={t('admin.audit.toVn')}
          type="datetime-local"
          value={rest.to}
          onChange={(to) => setRest({ ...rest, to })}
        />
        <button type="submit">{t('common.filter')}</button>
      </div>
    </form>
  );
}
