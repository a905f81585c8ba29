import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client';
import { api } from '../../api/endpoints';
import { isClinicalRole, type Patient, type UserAccount } from '@caunoi/shared';
import { useAuth } from '../../app/auth';
import { ErrorMessage, useLoad } from '../../app/ui';
import { formatDate } from '../../i18n/format';
import { matchPeople } from './adminForms';

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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Chosen {
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

/** Search a user by name or e-mail (diacritics ignored) among the accounts the admin can list. */
function ActorPicker({
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
            <ul
              id={`${id}-list`}
              className="picker-results"
              aria-label={t('admin.audit.actorResults')}
            >
              {matches.map((u) => (
                <li key={u.id}>
                  <button
                    type="button"
                    onClick={() => {
                      onChange({ id: u.id, label: `${u.fullName} (${u.email})` });
                      setQ('');
                    }}
                    aria-label={t('admin.audit.pickNamed', { name: `${u.fullName} (${u.email})` })}
                  >
                    {u.fullName} <span className="muted small">{u.email}</span>
                  </button>
                </li>
              ))}
              {matches.length === 0 ? <li className="muted">{t('admin.audit.noMatch')}</li> : null}
            </ul>
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
function PatientPicker({
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
            <ul
              id={`${id}-list`}
              className="picker-results"
              aria-label={t('admin.audit.patientResults')}
            >
              {results.map((p) => (
                <li key={p.id}>
                  <button
                    type="button"
                    onClick={() =>
                      onChange({ id: p.id, label: `${p.fullName} (${formatDate(p.dateOfBirth)})` })
                    }
                    aria-label={t('admin.audit.pickNamed', { name: p.fullName })}
                  >
                    {p.fullName} <span className="muted small">{formatDate(p.dateOfBirth)}</span>
                  </button>
                </li>
              ))}
              {results.length === 0 ? <li className="muted">{t('admin.audit.noMatch')}</li> : null}
            </ul>
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
        <label className="inline-label">
          {t('admin.audit.action')}
          <input
            value={rest.action}
            onChange={(e) => setRest({ ...rest, action: e.target.value })}
          />
        </label>
        <label className="inline-label">
          {t('admin.audit.fromVn')}
          <input
            type="datetime-local"
            value={rest.from}
            onChange={(e) => setRest({ ...rest, from: e.target.value })}
          />
        </label>
        <label className="inline-label">
          {t('admin.audit.toVn')}
          <input
            type="datetime-local"
            value={rest.to}
            onChange={(e) => setRest({ ...rest, to: e.target.value })}
          />
        </label>
        <button type="submit">{t('common.filter')}</button>
      </div>
    </form>
  );
}
