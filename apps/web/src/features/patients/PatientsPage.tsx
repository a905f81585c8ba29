import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CreatePatientSchema, SEXES, type CreatePatient } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import type { ConsentKind, Patient } from '@caunoi/shared';
import { ErrorMessage, FieldError, Loading, Page, useLoad } from '../../app/ui';
import { formatDate, formatDateTime } from '../../i18n/format';

/** Patient registry of the requesting facility: search, register, record consent. */
export function PatientsPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const list = useLoad(() => api.patients(query), [query]);

  return (
    <Page title={t('patients.title')}>
      <div className="two-col">
        <div>
          <form
            role="search"
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              setQuery(q.trim());
            }}
          >
            <label className="grow">
              <span className="sr-only">{t('patients.search')}</span>
              <input
                type="search"
                aria-label={t('patients.search')}
                placeholder={t('patients.searchPlaceholder')}
                value={q}
                onChange={(e) => setQ(e.target.value)}
              />
            </label>
            <button type="submit">{t('common.search')}</button>
          </form>
          {list.loading && !list.data ? <Loading /> : null}
          <ErrorMessage error={list.error} />
          <table aria-label={t('patients.list')}>
            <thead>
              <tr>
                <th scope="col">{t('patients.fullName')}</th>
                <th scope="col">{t('patients.dateOfBirth')}</th>
                <th scope="col">{t('patients.sex')}</th>
                <th scope="col">{t('patients.nationalId')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(list.data ?? []).map((p) => (
                <tr key={p.id} aria-selected={selected === p.id}>
                  <td>{p.fullName}</td>
                  <td>{formatDate(p.dateOfBirth)}</td>
                  <td>{t(`sex.${p.sex}`)}</td>
                  <td>{p.nationalId ?? '—'}</td>
                  <td className="row">
                    <button
                      type="button"
                      onClick={() => setSelected(p.id)}
                      aria-label={t('patients.openNamed', { name: p.fullName })}
                    >
                      {t('patients.open')}
                    </button>
                    <Link
                      to={`/consultations/new?patientId=${p.id}`}
                      aria-label={t('patients.requestForNamed', { name: p.fullName })}
                    >
                      {t('patients.requestFor')}
                    </Link>
                  </td>
                </tr>
              ))}
              {list.data && list.data.length === 0 ? (
                <tr>
                  <td colSpan={5}>{t('patients.none')}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <div>
          {selected ? <PatientCard id={selected} /> : null}
          <RegisterPatientForm
            onCreated={(p) => {
              setSelected(p.id);
              void list.reload();
            }}
          />
        </div>
      </div>
    </Page>
  );
}

function RegisterPatientForm({ onCreated }: { onCreated: (p: Patient) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    fullName: '',
    dateOfBirth: '',
    sex: 'female',
    nationalId: '',
    insuranceNumber: '',
  });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const candidate = {
      fullName: form.fullName,
      dateOfBirth: form.dateOfBirth,
      sex: form.sex,
      nationalId: form.nationalId.trim() || undefined,
      insuranceNumber: form.insuranceNumber.trim().toUpperCase() || undefined,
    };
    const parsed = CreatePatientSchema.safeParse(candidate);
    if (!parsed.success) {
      const errs: Record<string, string> = {};
      for (const issue of parsed.error.issues)
        errs[String(issue.path[0])] = t(`patients.invalid.${String(issue.path[0])}`);
      setFieldErrors(errs);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    setError(null);
    try {
      const p = await api.createPatient(parsed.data as CreatePatient);
      setDone(p.fullName);
      setForm({
        fullName: '',
        dateOfBirth: '',
        sex: 'female',
        nationalId: '',
        insuranceNumber: '',
      });
      onCreated(p);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const field = (name: keyof typeof form, input: ReactNode) => (
    <label>
      {t(`patients.${name}`)}
      {input}
      {fieldErrors[name] ? (
        <span className="field-error" role="alert">
          {fieldErrors[name]}
        </span>
      ) : (
        <FieldError error={error} field={name} />
      )}
    </label>
  );

  return (
    <form className="card" onSubmit={submit} aria-labelledby="register-title" noValidate>
      <h2 id="register-title">{t('patients.register')}</h2>
      {field(
        'fullName',
        <input
          value={form.fullName}
          required
          onChange={(e) => setForm({ ...form, fullName: e.target.value })}
          aria-invalid={!!fieldErrors.fullName}
        />,
      )}
      {field(
        'dateOfBirth',
        <input
          type="date"
          value={form.dateOfBirth}
          required
          onChange={(e) => setForm({ ...form, dateOfBirth: e.target.value })}
          aria-invalid={!!fieldErrors.dateOfBirth}
        />,
      )}
      {field(
        'sex',
        <select value={form.sex} onChange={(e) => setForm({ ...form, sex: e.target.value })}>
          {SEXES.map((s) => (
            <option key={s} value={s}>
              {t(`sex.${s}`)}
            </option>
          ))}
        </select>,
      )}
      {field(
        'nationalId',
        <input
          inputMode="numeric"
          value={form.nationalId}
          onChange={(e) => setForm({ ...form, nationalId: e.target.value })}
          aria-invalid={!!fieldErrors.nationalId}
        />,
      )}
      {field(
        'insuranceNumber',
        <input
          value={form.insuranceNumber}
          onChange={(e) => setForm({ ...form, insuranceNumber: e.target.value })}
          aria-invalid={!!fieldErrors.insuranceNumber}
        />,
      )}
      <ErrorMessage error={error} fieldsShown={Object.keys(form)} />
      {done ? (
        <p role="status" className="success">
          {t('patients.registered', { name: done })}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {t('patients.registerSubmit')}
      </button>
    </form>
  );
}

function PatientCard({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const p = useLoad(() => api.patient(id), [id]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function record(kind: ConsentKind, granted: boolean) {
    setBusy(true);
    setError(null);
    try {
      await api.recordConsent(id, { kind, granted });
      await p.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (!p.data) return p.error ? <ErrorMessage error={p.error} /> : <Loading />;
  const patient = p.data;
  return (
    <article className="card" aria-labelledby="patient-card-title">
      <h2 id="patient-card-title">{patient.fullName}</h2>
      <dl className="facts">
        <dt>{t('patients.dateOfBirth')}</dt>
        <dd>{formatDate(patient.dateOfBirth)}</dd>
        <dt>{t('patients.sex')}</dt>
        <dd>{t(`sex.${patient.sex}`)}</dd>
        <dt>{t('patients.nationalId')}</dt>
        <dd>{patient.nationalId ?? '—'}</dd>
        <dt>{t('patients.insuranceNumber')}</dt>
        <dd>{patient.insuranceNumber ?? '—'}</dd>
      </dl>
      <h3>{t('patients.consents')}</h3>
      <ul aria-label={t('patients.consents')}>
        {patient.consents.map((c) => (
          <li key={c.id}>
            {t(`consent.${c.kind}`)}:{' '}
            <strong>{c.granted ? t('consent.granted') : t('consent.refused')}</strong> —{' '}
            {formatDateTime(c.recordedAt, i18n.language)} · {c.recordedBy.fullName}
          </li>
        ))}
        {patient.consents.length === 0 ? <li>{t('patients.noConsent')}</li> : null}
      </ul>
      <div className="row wrap">
        <button type="button" disabled={busy} onClick={() => void record('teleconsultation', true)}>
          {t('patients.recordTeleconsultConsent')}
        </button>
        <button type="button" disabled={busy} onClick={() => void record('recording', true)}>
          {t('patients.recordRecordingConsent')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void record('teleconsultation', false)}
        >
          {t('patients.recordRefusal')}
        </button>
      </div>
      <ErrorMessage error={error} />
      <Link className="button" to={`/consultations/new?patientId=${patient.id}`}>
        {t('patients.requestFor')}
      </Link>
    </article>
  );
}
