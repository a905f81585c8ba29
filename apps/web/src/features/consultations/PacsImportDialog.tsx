import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PacsSeries, PacsStudy } from '@caunoi/shared';
import { pacsApi } from '../../api/pacs';
import { ErrorMessage, FieldError } from '../../app/ui';
import { formatDate } from '../../i18n/format';
import { InboxPanel, personName } from './InboxPanel';
import { looksLikeAnotherPatient } from './patientMatch';
import { usePacsImport } from './usePacsImport';

const MODALITIES = ['CT', 'MR', 'CR', 'DX', 'US', 'MG', 'XA', 'NM', 'PT', 'OT'];

interface Props {
  consultationId: string;
  facilityId: string;
  patientName: string | null;
  /** Which sources the facility has: its PACS (search) and its DICOM inbox. */
  sources: { pacs: boolean; inbox: boolean };
  onClose: () => void;
  onImported: () => void;
}

/**
 * "Import from PACS": search the requesting facility's PACS, pick a study (or some of its
 * series) and import it into the request; progress until the API has stored every image.
 * The request's own patient is shown above the results, to compare with the PACS's.
 */
export function PacsImportDialog({
  consultationId,
  facilityId,
  patientName,
  sources,
  onClose,
  onImported,
}: Props) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const [q, setQ] = useState({
    patientId: '',
    patientName: '',
    dateFrom: '',
    dateTo: '',
    modality: '',
  });
  const [studies, setStudies] = useState<PacsStudy[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<{ studyUid: string; series: PacsSeries[] } | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const imp = usePacsImport(consultationId, onImported);
  const [tab, setTab] = useState<'pacs' | 'inbox'>(sources.pacs ? 'pacs' : 'inbox');

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  async function search(e: FormEvent) {
    e.preventDefault();
    setSearching(true);
    setError(null);
    setOpen(null);
    try {
      const query = Object.fromEntries(Object.entries(q).filter(([, v]) => v.trim()));
      setStudies(await pacsApi.studies(facilityId, query));
    } catch (err) {
      setError(err);
    } finally {
      setSearching(false);
    }
  }

  async function showSeries(studyUid: string) {
    setError(null);
    try {
      const series = await pacsApi.series(facilityId, studyUid);
      setOpen({ studyUid, series });
      setPicked(series.map((s) => s.seriesUid));
    } catch (err) {
      setError(err);
    }
  }

  const set = (k: keyof typeof q) => (e: { target: { value: string } }) =>
    setQ({ ...q, [k]: e.target.value });
  const job = imp.job;

  return (
    <dialog ref={ref} aria-labelledby="pacs-title" onCancel={onClose} className="card pacs-dialog">
      <h2 id="pacs-title">{t('pacs.dialogTitle')}</h2>
      {patientName ? (
        <p className="muted">{t('pacs.requestPatient', { name: patientName })}</p>
      ) : null}
      {sources.pacs && sources.inbox ? (
        <div className="row wrap" role="group">
          <button type="button" aria-pressed={tab === 'pacs'} onClick={() => setTab('pacs')}>
            {t('pacs.inbox.pacsTab')}
          </button>
          <button type="button" aria-pressed={tab === 'inbox'} onClick={() => setTab('inbox')}>
            {t('pacs.inbox.title')}
          </button>
        </div>
      ) : null}
      {tab === 'inbox' ? (
        <InboxPanel
          consultationId={consultationId}
          facilityId={facilityId}
          patientName={patientName}
          onImported={onImported}
        />
      ) : (
        <>
          <form onSubmit={(e) => void search(e)} className="pacs-search" noValidate>
            <label>
              {t('pacs.patientId')}
              <input value={q.patientId} onChange={set('patientId')} autoFocus />
            </label>
            <label>
              {t('pacs.patientName')}
              <input value={q.patientName} onChange={set('patientName')} />
              <FieldError error={error} field="patientName" />
            </label>
            <label>
              {t('pacs.dateFrom')}
              <input type="date" value={q.dateFrom} onChange={set('dateFrom')} />
            </label>
            <label>
              {t('pacs.dateTo')}
              <input type="date" value={q.dateTo} onChange={set('dateTo')} />
              <FieldError error={error} field="dateTo" />
            </label>
            <label>
              {t('pacs.modality')}
              <select value={q.modality} onChange={set('modality')}>
                <option value="">{t('pacs.anyModality')}</option>
                {MODALITIES.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="primary" disabled={searching}>
              {searching ? t('pacs.searching') : t('pacs.search')}
            </button>
          </form>
          <ErrorMessage error={error ?? imp.error} fieldsShown={['patientName', 'dateTo']} />
          {studies ? (
            <ul aria-label={t('pacs.results')} className="pacs-studies">
              {studies.length === 0 ? <li>{t('pacs.noStudies')}</li> : null}
              {studies.map((s) => (
                <li key={s.studyUid}>
                  <strong>{s.date ? formatDate(s.date, i18n.language) : '—'}</strong>{' '}
                  {s.description ?? ''} {s.modalities.length ? `(${s.modalities.join(', ')})` : ''}
                  <br />
                  <span className="muted small">
                    {t('pacs.studyOf', { name: personName(s.patientName), id: s.patientId ?? '—' })}{' '}
                    ·{' '}
                    {t('pacs.counts', {
                      series: s.seriesCount ?? '?',
                      instances: s.instanceCount ?? '?',
                    })}
                  </span>
                  {looksLikeAnotherPatient(s.patientName, patientName) ? (
                    <p className="notice small" role="note">
                      {t('pacs.otherPatient')}
                    </p>
                  ) : null}
                  <div className="row wrap">
                    <button
                      type="button"
                      className="primary"
                      disabled={imp.running}
                      onClick={() => void imp.start(s.studyUid)}
                    >
                      {t('pacs.importStudy')}
                    </button>
                    <button type="button" onClick={() => void showSeries(s.studyUid)}>
                      {t('pacs.showSeries')}
                    </button>
                  </div>
                  {open?.studyUid === s.studyUid ? (
                    <fieldset>
                      <legend>{t('pacs.showSeries')}</legend>
                      {open.series.map((se) => (
                        <label key={se.seriesUid} className="inline-label">
                          <input
                            type="checkbox"
                            checked={picked.includes(se.seriesUid)}
                            onChange={(e) =>
                              setPicked(
                                e.target.checked
                                  ? [...picked, se.seriesUid]
                                  : picked.filter((u) => u !== se.seriesUid),
                              )
                            }
                          />{' '}
                          {t('pacs.seriesLine', {
                            number: se.number ?? '?',
                            modality: se.modality ?? '—',
                            description: se.description ?? '',
                            count: se.instanceCount ?? '?',
                          })}
                        </label>
                      ))}
                      <button
                        type="button"
                        className="primary"
                        disabled={imp.running || picked.length === 0}
                        onClick={() => void imp.start(s.studyUid, picked)}
                      >
                        {t('pacs.importSelected', { count: picked.length })}
                      </button>
                    </fieldset>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          {job ? (
            <div role="status" aria-live="polite">
              {job.status === 'running' ? (
                <>
                  <p>
                    {t('pacs.progress', {
                      done: job.instancesStored + job.instancesSkipped,
                      total: job.instancesTotal ?? '?',
                    })}
                  </p>
                  <progress
                    value={job.instancesStored + job.instancesSkipped}
                    max={job.instancesTotal ?? undefined}
                  />
                </>
              ) : job.status === 'done' ? (
                <p className="success">
                  {t('pacs.done', { stored: job.instancesStored, skipped: job.instancesSkipped })}
                </p>
              ) : (
                <>
                  <p className="error">
                    {t('pacs.failed', { stored: job.instancesStored })}{' '}
                    {job.error?.code.startsWith('pacs_')
                      ? t(`errors.code.${job.error.code}`)
                      : null}
                  </p>
                  {job.error ? (
                    <details className="error-details">
                      <summary>{t('errors.details')}</summary>
                      <code>
                        {job.error.code} · {job.error.message}
                      </code>
                    </details>
                  ) : null}
                </>
              )}
            </div>
          ) : null}
        </>
      )}
      <div className="row">
        <button type="button" onClick={onClose}>
          {t('pacs.close')}
        </button>
      </div>
    </dialog>
  );
}
