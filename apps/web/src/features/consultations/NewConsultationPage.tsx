import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  CONSULTATION_MODES,
  CreateConsultationSchema,
  URGENCIES,
  type ConsultationMode,
  type Urgency,
} from '@caunoi/shared';
import { upload } from '../../api/client';
import { api } from '../../api/endpoints';
import type { Facility, FacilityDetail, Patient } from '@caunoi/shared';
import { useAuth } from '../../app/auth';
import { errorText, ErrorMessage, FieldError, Page, useLoad } from '../../app/ui';
import { formatDate } from '../../i18n/format';
import { AttachmentDropzone, MAX_FILE_BYTES, type QueuedFile } from './AttachmentDropzone';
import { inBatches, UPLOADS_AT_ONCE } from './inBatches';
import { SPECIALTIES, specialtyLabel } from '../../shared/specialties';

/** Fields whose server-side problems are shown next to them. */
const SHOWN_FIELDS = ['patientId', 'targetFacilityId', 'specialty', 'summary', 'question'];

/** Facilities that support the requester's own facility (from its support links). */
export function supportingFacilities(
  mine: FacilityDetail | undefined,
  all: Facility[],
): Facility[] {
  if (!mine) return all.filter((f) => f.level === 'central' || f.level === 'provincial');
  const ids = new Set(mine.supportedBy.map((link) => link.facility.id));
  if (ids.size) return all.filter((f) => ids.has(f.id));
  return all.filter((f) => f.id !== mine.id && (f.level === 'central' || f.level === 'provincial'));
}

export function NewConsultationPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [patientQuery, setPatientQuery] = useState('');
  const patients = useLoad(() => api.patients(patientQuery), [patientQuery]);
  const facilities = useLoad(async () => {
    const [all, mine] = await Promise.all([
      api.facilities(),
      user?.facilityId
        ? api.facility(user.facilityId).catch(() => undefined)
        : Promise.resolve(undefined),
    ]);
    return supportingFacilities(mine, all);
  }, [user?.facilityId]);

  const [form, setForm] = useState({
    patientId: params.get('patientId') ?? '',
    targetFacilityId: '',
    specialty: SPECIALTIES[0],
    urgency: 'routine' as Urgency,
    mode: 'live' as ConsultationMode,
    summary: '',
    question: '',
  });
  const [files, setFiles] = useState<QueuedFile[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    if (!form.targetFacilityId && facilities.data?.length)
      setForm((f) => ({ ...f, targetFacilityId: facilities.data![0].id }));
  }, [facilities.data, form.targetFacilityId]);

  // The patient named in the link may not be in the first page of the list: fetch it too.
  const preselected = useLoad(async () => {
    const id = params.get('patientId');
    return id ? api.patient(id).catch(() => null) : null;
  }, [params.get('patientId')]);
  const patientOptions = useMemo(() => {
    const list: Patient[] = [...(patients.data ?? [])];
    if (preselected.data && !list.some((p) => p.id === preselected.data!.id))
      list.unshift(preselected.data);
    return list;
  }, [patients.data, preselected.data]);

  function addFiles(added: File[]) {
    setFiles((prev) => [
      ...prev,
      ...added.map((file) => ({
        key: `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`,
        file,
        progress: null,
        state: file.size > MAX_FILE_BYTES ? ('failed' as const) : ('queued' as const),
        error: file.size > MAX_FILE_BYTES ? t('attachments.tooLarge') : undefined,
      })),
    ]);
  }

  async function uploadAll(consultationId: string): Promise<boolean> {
    let ok = true;
    const todo = files.filter(
      (f) => !(f.state === 'done' || (f.state === 'failed' && f.file.size > MAX_FILE_BYTES)),
    );
    // A CT/MR series is hundreds of small files: a few in flight at once keeps the line busy
    // without opening hundreds of connections.
    await inBatches(todo, UPLOADS_AT_ONCE, async (f) => {
      setFiles((prev) =>
        prev.map((x) =>
          x.key === f.key ? { ...x, state: 'uploading', progress: 0, error: undefined } : x,
        ),
      );
      try {
        await upload(`/consultations/${consultationId}/attachments`, f.file, (p) =>
          setFiles((prev) => prev.map((x) => (x.key === f.key ? { ...x, progress: p } : x))),
        ).promise;
        setFiles((prev) =>
          prev.map((x) => (x.key === f.key ? { ...x, state: 'done', progress: 1 } : x)),
        );
      } catch (err) {
        ok = false;
        setFiles((prev) =>
          prev.map((x) =>
            x.key === f.key ? { ...x, state: 'failed', error: errorText(t, err) } : x,
          ),
        );
      }
    });
    return ok;
  }

  const [createdId, setCreatedId] = useState<string | null>(null);

  async function save(submit: boolean) {
    const parsed = CreateConsultationSchema.safeParse(form);
    if (!parsed.success) {
      const errs: Record<string, string> = {};
      for (const issue of parsed.error.issues)
        errs[String(issue.path[0])] = t(`consultations.invalid.${String(issue.path[0])}`);
      setFieldErrors(errs);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    setError(null);
    try {
      let id = createdId;
      if (!id) {
        setStatus(t('consultations.creating'));
        const c = await api.createConsultation(parsed.data);
        id = c.id;
        setCreatedId(id);
      }
      setStatus(t('consultations.uploading'));
      const uploaded = await uploadAll(id);
      if (!uploaded) {
        setStatus(null);
        setError(new Error('upload'));
        return;
      }
      if (submit) {
        setStatus(t('consultations.submitting'));
        await api.transition(id, 'submit');
      }
      navigate(`/consultations/${id}`, { state: { flash: submit ? 'submitted' : 'saved' } });
    } catch (err) {
      setStatus(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save(true);
  }

  const fieldError = (name: string) =>
    fieldErrors[name] ? (
      <span className="field-error" role="alert">
        {fieldErrors[name]}
      </span>
    ) : (
      <FieldError error={error} field={name} />
    );

  return (
    <Page title={t('consultations.newTitle')}>
      <form className="card form-grid" onSubmit={onSubmit} noValidate aria-labelledby="page-title">
        <fieldset>
          <legend>{t('consultations.patient')}</legend>
          <label>
            {t('consultations.findPatient')}
            <input
              type="search"
              value={patientQuery}
              onChange={(e) => setPatientQuery(e.target.value)}
              placeholder={t('patients.searchPlaceholder')}
            />
          </label>
          <label>
            {t('consultations.patient')}
            <select
              value={form.patientId}
              onChange={(e) => setForm({ ...form, patientId: e.target.value })}
              aria-invalid={!!fieldErrors.patientId}
            >
              <option value="">{t('consultations.choosePatient')}</option>
              {patientOptions.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.fullName} — {formatDate(p.dateOfBirth)}
                </option>
              ))}
            </select>
            {fieldError('patientId')}
          </label>
        </fieldset>
        <fieldset>
          <legend>{t('consultations.addressedTo')}</legend>
          <label>
            {t('consultations.targetFacility')}
            <select
              value={form.targetFacilityId}
              onChange={(e) => setForm({ ...form, targetFacilityId: e.target.value })}
              aria-invalid={!!fieldErrors.targetFacilityId}
            >
              {(facilities.data ?? []).map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
            {fieldError('targetFacilityId')}
          </label>
          <label>
            {t('consultations.specialty')}
            <select
              value={form.specialty}
              onChange={(e) => setForm({ ...form, specialty: e.target.value })}
            >
              {SPECIALTIES.map((s) => (
                <option key={s} value={s}>
                  {specialtyLabel(t, s)}
                </option>
              ))}
            </select>
            {fieldError('specialty')}
          </label>
          <fieldset className="inline">
            <legend>{t('consultations.urgency')}</legend>
            {URGENCIES.map((u) => (
              <label key={u} className="radio">
                <input
                  type="radio"
                  name="urgency"
                  value={u}
                  checked={form.urgency === u}
                  onChange={() => setForm({ ...form, urgency: u })}
                />
                {t(`urgency.${u}`)}
              </label>
            ))}
          </fieldset>
          <fieldset className="inline">
            <legend>{t('consultations.mode')}</legend>
            {CONSULTATION_MODES.map((m) => (
              <label key={m} className="radio">
                <input
                  type="radio"
                  name="mode"
                  value={m}
                  checked={form.mode === m}
                  onChange={() => setForm({ ...form, mode: m })}
                />
                {t(`consultations.modes.${m}`)}
              </label>
            ))}
            <span className="muted small">{t('consultations.modeHint')}</span>
          </fieldset>
        </fieldset>
        <label className="span-2">
          {t('consultations.summary')}
          <textarea
            rows={5}
            value={form.summary}
            onChange={(e) => setForm({ ...form, summary: e.target.value })}
            aria-invalid={!!fieldErrors.summary}
          />
          {fieldError('summary')}
        </label>
        <label className="span-2">
          {t('consultations.question')}
          <textarea
            rows={3}
            value={form.question}
            onChange={(e) => setForm({ ...form, question: e.target.value })}
            aria-invalid={!!fieldErrors.question}
          />
          {fieldError('question')}
        </label>
        <div className="span-2">
          <h2>{t('attachments.title')}</h2>
          <AttachmentDropzone
            files={files}
            onAdd={addFiles}
            onRemove={(k) => setFiles((p) => p.filter((f) => f.key !== k))}
            disabled={busy}
          />
        </div>
        <div className="span-2">
          {status ? (
            <p role="status" aria-live="polite">
              {status}
            </p>
          ) : null}
          {error instanceof Error && error.message === 'upload' ? (
            <p role="alert" className="error">
              {t('attachments.someFailed')}
            </p>
          ) : (
            <ErrorMessage error={error} fieldsShown={SHOWN_FIELDS} />
          )}
          <div className="row">
            <button type="button" disabled={busy} onClick={() => void save(false)}>
              {t('consultations.saveDraft')}
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {t('consultations.submit')}
            </button>
          </div>
        </div>
      </form>
    </Page>
  );
}
