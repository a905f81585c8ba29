import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client';
import { api } from '../../api/endpoints';
import { isClinicalRole, type Patient, type UserAccount } from '@caunoi/shared';
import { useAuth } from '../../app/auth';
import { ErrorMessage, useLoad } from '../../app/ui';
import { formatDate } from '../../i18n/format';
import { matchPeople } from './adminForms';

/** The audit filters' pickers: a person or a patient found by name, shown as a chip once chosen. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Chosen {
  id: string;
  label: string;
}

/** Chosen value with a button to clear it (keyboard reachable). */
function ChosenChip({
  chosen,
  onClear,
  what,
}: {
  chosen: Chosen;
  onClear: () => void;
  what: string;
}) {
  const { t } = useTranslation();
  return (
    <p className="chip" aria-live="polite">
      {t('admin.audit.chosen', { what, name: chosen.label })}{' '}
      <button
        type="button"
        className="link"
        onClick={onClear}
        aria-label={t('admin.audit.clearNamed', { name: chosen.label })}
      >
        {t('common.remove')}
      </button>
    </p>
  );
}

/** The matches of a picker's search, each a button that picks it. */
function PickerResults<T extends { id: string }>({
  id,
  label,
  items,
  onPick,
  name,
  detail,
  pickName = name,
}: {
  id: string;
  label: string;
  items: T[];
  onPick: (item: T) => void;
  name: (item: T) => string;
  detail: (item: T) => string;
  /** The accessible name of an item's button, when more than its name tells them apart. */
  pickName?: (item: T) => string;
}) {
  const { t } = useTranslation();
  return (
    <ul id={id} className="picker-results" aria-label={label}>
      {items.map((item) => (
        <li key={item.id}>
          <button
            type="button"
            onClick={() => onPick(item)}
            aria-label={t('admin.audit.pickNamed', { name: pickName(item) })}
          >
            {name(item)} <span className="muted small">{detail(item)}</span>
          </button>
        </li>
      ))}
      {items.length === 0 ? <li className="muted">{t('admin.audit.noMatch')}</li> : null}
    </ul>
  );
}

/** Search a user by name or e-mail (diacritics ignored) among the accounts the admin can list. */
export function ActorPicker({
  value,
  onChange,
}: {
  value: Chosen | null;
  onChange: (c: Chosen | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const users = useLoad(() => api.users({ limit: 500 }), []);
  const [q, setQ] = useState('');
  const matches = matchPeople<UserAccount>(users.data ?? [], q);
  const label = t('admin.audit.actor');
  return (
    <div className="picker">
      {value ? (
        <ChosenChip chosen={value} what={label} onClear={() => onChange(null)} />
      ) : (
        <>
          <label className="inline-label">
            {t('admin.audit.findActor')}
            <input
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder={t('admin.audit.findActorPlaceholder')}
              aria-controls={`${id}-list`}
            />
          </label>
          {q.trim() ? (
            <PickerResults
              id={`${id}-list`}
              label={t('admin.audit.actorResults')}
              items={matches}
              onPick={(u) => {
                onChange({ id: u.id, label: `${u.fullName} (${u.email})` });
                setQ('');
              }}
              name={(u) => u.fullName}
              detail={(u) => u.email}
              pickName={(u) => `${u.fullName} (${u.email})`}
            />
          ) : null}
          <ErrorMessage error={users.error} />
        </>
      )}
    </div>
  );
}

/**
 * Search a patient by name. The API's patient search is for clinicians in scope (GET /patients
 * refuses admins), so when it refuses, the picker says so and takes a patient id instead.
 */
export function PatientPicker({
  value,
  onChange,
}: {
  value: Chosen | null;
  onChange: (c: Chosen | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Patient[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { user } = useAuth();
  // GET /patients is for clinicians in scope; an account without a clinical role is refused.
  const [unavailable, setUnavailable] = useState(() => !user?.roles.some(isClinicalRole));
  const [rawId, setRawId] = useState('');
  const label = t('admin.audit.patient');

  async function search() {
    if (!q.trim()) return;
    setError(null);
    try {
      setResults(await api.patients(q.trim()));
    } catch (err) {
      if (err instanceof ApiRequestError && (err.status === 403 || err.status === 404))
        setUnavailable(true);
      else setError(err);
    }
  }

  if (value) return <ChosenChip chosen={value} what={label} onClear={() => onChange(null)} />;
  return (
    <div className="picker">
      {!unavailable ? (
        <>
          <label className="inline-label">
            {t('admin.audit.findPatient')}
            <input
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void search();
                }
              }}
              aria-controls={`${id}-list`}
            />
          </label>
          <button type="button" onClick={() => void search()}>
            {t('admin.audit.searchPatient')}
          </button>
          {results ? (
            <PickerResults
              id={`${id}-list`}
              label={t('admin.audit.patientResults')}
              items={results}
              onPick={(p) =>
                onChange({ id: p.id, label: `${p.fullName} (${formatDate(p.dateOfBirth)})` })
              }
              name={(p) => p.fullName}
              detail={(p) => formatDate(p.dateOfBirth)}
            />
          ) : null}
          <ErrorMessage error={error} />
        </>
      ) : (
        <>
          <p className="notice small">{t('admin.audit.patientSearchUnavailable')}</p>
          <label className="inline-label">
            {t('admin.audit.patientId')}
            <input
              value={rawId}
              aria-invalid={rawId.length > 0 && !UUID.test(rawId)}
              onChange={(e) => {
                const v = e.target.value.trim();
                setRawId(v);
                // Taken as soon as it is a whole id (a paste), so "Filter" never reads a stale value.
                if (UUID.test(v)) onChange({ id: v, label: v });
              }}
            />
          </label>
        </>
      )}
    </div>
  );
}
