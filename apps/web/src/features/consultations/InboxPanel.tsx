import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxAttachResult } from '@caunoi/shared';
import { pacsApi } from '../../api/pacs';
import { ErrorMessage, useLoad } from '../../app/ui';
import { formatBytes, formatDate, formatDateTime } from '../../i18n/format';
import { looksLikeAnotherPatient } from './patientMatch';

/** A DICOM person name (`LE^VAN^C`) as people write it. */
export const personName = (pn: string | null) => (pn ? pn.replace(/\^+/g, ' ').trim() : '—');

/**
 * The facility's DICOM inbox inside the import dialog: studies that modalities pushed to the
 * facility's AE title, newest first; "Attach" adds one to the request (what it already holds is
 * skipped).
 */
export function InboxPanel({
  consultationId,
  facilityId,
  patientName,
  onImported,
}: {
  consultationId: string;
  facilityId: string;
  /** The request's patient, to flag a study of someone else. */
  patientName: string | null;
  onImported: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [patientId, setPatientId] = useState('');
  const [filter, setFilter] = useState('');
  const studies = useLoad(() => pacsApi.inboxStudies(facilityId, filter), [facilityId, filter]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<InboxAttachResult | null>(null);

  async function attach(studyUid: string) {
    setBusy(studyUid);
    setError(null);
    setDone(null);
    try {
      setDone(await pacsApi.attachInboxStudy(consultationId, studyUid));
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="inbox-title">
      <h3 id="inbox-title">{t('pacs.inbox.title')}</h3>
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(patientId.trim());
        }}
      >
        <label>
          {t('pacs.patientId')}
          <input value={patientId} onChange={(e) => setPatientId(e.target.value)} />
        </label>
        <button type="submit">{t('pacs.search')}</button>
      </form>
      <ErrorMessage error={studies.error ?? error} />
      <ul aria-label={t('pacs.inbox.title')} className="pacs-studies">
        {studies.data && studies.data.length === 0 ? <li>{t('pacs.inbox.empty')}</li> : null}
        {(studies.data ?? []).map((s) => (
          <li key={s.studyUid}>
            <strong>{s.studyDate ? formatDate(s.studyDate, i18n.language) : '—'}</strong>{' '}
            {s.description ?? ''} {s.modalities.length ? `(${s.modalities.join(', ')})` : ''}
            <br />
            <span className="muted small">
              {t('pacs.studyOf', { name: personName(s.patientName), id: s.patientId ?? '—' })} ·{' '}
              {t('pacs.inbox.counts', {
                instances: s.instanceCount,
                size: formatBytes(s.sizeBytes),
                at: formatDateTime(s.lastReceivedAt, i18n.language),
              })}
            </span>
            {looksLikeAnotherPatient(s.patientName, patientName) ? (
              <p className="notice small" role="note">
                {t('pacs.otherPatient')}
              </p>
            ) : null}
            <div className="row">
              <button
                type="button"
                className="primary"
                disabled={!!busy}
                onClick={() => void attach(s.studyUid)}
              >
                {t('pacs.inbox.attach')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {done ? (
        <p role="status" className="success">
          {t('pacs.done', { stored: done.stored, skipped: done.skipped })}
        </p>
      ) : null}
    </section>
  );
}
