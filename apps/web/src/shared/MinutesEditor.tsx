import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { MinutesInputSchema } from '@caunoi/shared';
import { api } from '../api/endpoints';
import type { Diagnosis, MinutesView } from '@caunoi/shared';
import { DiagnosisPicker } from './DiagnosisPicker';
import { ErrorMessage, FieldError } from '../app/ui';
import { formatDateTime } from '../i18n/format';

const FIELDS = ['summary', 'opinions', 'conclusion', 'recommendations'] as const;

/** Minutes of one consultation, written during the session; the chair signs them. */
export function MinutesEditor({
  consultationId,
  participants,
  selfId,
  onSigned,
}: {
  consultationId: string;
  participants: Array<{ id: string; fullName: string }>;
  selfId: string;
  onSigned?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [saved, setSaved] = useState<MinutesView | null>(null);
  const [form, setForm] = useState({
    summary: '',
    opinions: '',
    conclusion: '',
    recommendations: '',
    chairId: selfId,
  });
  const [diagnoses, setDiagnoses] = useState<Diagnosis[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string[]>([]);

  useEffect(() => {
    let alive = true;
    api
      .minutes(consultationId)
      .then((m) => {
        if (!alive || !m) return;
        setSaved(m);
        setForm({
          summary: m.summary ?? '',
          opinions: m.opinions ?? '',
          conclusion: m.conclusion ?? '',
          recommendations: m.recommendations ?? '',
          chairId: m.chairId ?? selfId,
        });
        setDiagnoses(m.diagnoses ?? []);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [consultationId, selfId]);

  const signed = !!saved?.signedAt;
  const [correcting, setCorrecting] = useState(false);

  async function save(): Promise<MinutesView | null> {
    const parsed = MinutesInputSchema.safeParse({
      ...form,
      diagnoses: diagnoses.map((d) => ({ code: d.code, primary: d.primary })),
    });
    if (!parsed.success) {
      setInvalid(parsed.error.issues.map((i) => String(i.path[0])));
      return null;
    }
    setInvalid([]);
    setBusy(true);
    setError(null);
    try {
      const m = await api.saveMinutes(consultationId, parsed.data);
      setSaved(m);
      setNotice(t('minutes.saved'));
      return m;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  }

  /** Signed minutes never change: a correction is the next version, signed again. */
  function startCorrection() {
    if (!saved) return;
    setCorrecting(true);
    setSaved({ ...saved, signedAt: null });
    setNotice(t('minutes.correcting', { n: (saved.version ?? 1) + 1 }));
  }

  async function sign() {
    const m = await save();
    if (!m) return;
    setBusy(true);
    try {
      // What was just saved is what the chair signs: its version and revision go with the signature.
      const s = await api.signMinutes(consultationId, { version: m.version, revision: m.revision });
      setSaved({ ...m, ...s, signedAt: s?.signedAt ?? new Date().toISOString() });
      setCorrecting(false);
      setNotice(t('minutes.signedOk'));
      onSigned?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="minutes-editor"
      aria-label={t('minutes.editor')}
      onSubmit={(e) => e.preventDefault()}
    >
      {signed ? (
        <div className="row wrap">
          <p role="status" className="success">
            {t('minutes.signedAt', { when: formatDateTime(saved?.signedAt, i18n.language) })}{' '}
            <Link to={`/consultations/${consultationId}/minutes`}>{t('minutes.open')}</Link>
          </p>
          <button type="button" onClick={startCorrection}>
            {t('minutes.correct')}
          </button>
        </div>
      ) : null}
      {correcting ? <p className="notice">{t('minutes.correctionHint')}</p> : null}
      {FIELDS.map((f) => (
        <label key={f}>
          {t(`minutes.${f}`)}
          <textarea
            rows={f === 'opinions' ? 4 : 2}
            value={form[f]}
            readOnly={signed}
            aria-invalid={invalid.includes(f)}
            onChange={(e) => setForm({ ...form, [f]: e.target.value })}
          />
          {invalid.includes(f) ? (
            <span className="field-error">{t('minutes.required')}</span>
          ) : (
            <FieldError error={error} field={f} />
          )}
        </label>
      ))}
      <DiagnosisPicker value={diagnoses} onChange={setDiagnoses} readOnly={signed} />
      <FieldError error={error} field="diagnoses" />
      <label>
        {t('minutes.chair')}
        <select
          value={form.chairId}
          disabled={signed}
          onChange={(e) => setForm({ ...form, chairId: e.target.value })}
        >
          {participants.map((p) => (
            <option key={p.id} value={p.id}>
              {p.fullName}
            </option>
          ))}
        </select>
        <FieldError error={error} field="chairId" />
      </label>
      <ErrorMessage error={error} fieldsShown={[...FIELDS, 'chairId', 'diagnoses']} />
      {notice ? (
        <p role="status" className="muted">
          {notice}
        </p>
      ) : null}
      {!signed ? (
        <div className="row">
          <button type="button" disabled={busy} onClick={() => void save()}>
            {t('minutes.save')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || form.chairId !== selfId}
            onClick={() => void sign()}
            title={form.chairId !== selfId ? t('minutes.onlyChair') : undefined}
          >
            {t('minutes.sign')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
