import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { download } from '../../api/client';
import { useAuth } from '../../app/auth';
import { MinutesEditor } from '../../shared/MinutesEditor';
import { api } from '../../api/endpoints';
import { ErrorMessage, Loading, Page, StatusBadge, useLoad } from '../../app/ui';
import { formatDateTime } from '../../i18n/format';

/** Signed minutes (biên bản hội chẩn): read, download as PDF and as a FHIR R4 Bundle. */
export function MinutesPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const minutes = useLoad(() => api.minutes(id), [id]);
  const consultation = useLoad(() => api.consultation(id), [id]);
  const [error, setError] = useState<unknown>(null);
  const { user, hasRole } = useAuth();
  const [editing, setEditing] = useState(false);
  const m = minutes.data;
  const signedBy = m?.signedBy?.fullName ?? m?.chair?.fullName;

  async function get(kind: 'pdf' | 'fhir', version?: number) {
    setError(null);
    try {
      if (kind === 'pdf')
        await download(
          `/consultations/${id}/minutes.pdf${version ? `?version=${version}` : ''}`,
          `bien-ban-hoi-chan-${id.slice(0, 8)}${version ? `-v${version}` : ''}.pdf`,
        );
      else await download(`/consultations/${id}/fhir`, `fhir-bundle-${id.slice(0, 8)}.json`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Page
      title={t('minutes.title')}
      actions={
        m?.signedAt ? (
          <div className="row">
            <button type="button" onClick={() => void get('pdf')}>
              {t('minutes.downloadPdf')}
            </button>
            <button type="button" onClick={() => void get('fhir')}>
              {t('minutes.downloadFhir')}
            </button>
          </div>
        ) : null
      }
    >
      {minutes.loading && !m ? <Loading /> : null}
      <ErrorMessage error={minutes.error ?? error} />
      {consultation.data ? (
        <p>
          {consultation.data.patient?.fullName} · <StatusBadge status={consultation.data.status} />{' '}
          · <Link to={`/consultations/${id}`}>{t('minutes.backToCase')}</Link>
        </p>
      ) : null}
      {m ? (
        <article className="card minutes" aria-label={t('minutes.title')}>
          <p className={m.signedAt ? 'success' : 'notice'} role="status">
            {m.signedAt
              ? t('minutes.signedBy', {
                  name: signedBy ?? '—',
                  when: formatDateTime(m.signedAt, i18n.language),
                })
              : t('minutes.draft')}
            {m.version ? ` · ${t('minutes.version', { n: m.version })}` : ''}
          </p>
          {m.participants?.length ? (
            <>
              <h2>{t('minutes.participants')}</h2>
              <ul>
                {m.participants.map((p, i) => (
                  <li key={i}>
                    {p.fullName} {p.facilityName ? `· ${p.facilityName}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {(['summary', 'opinions', 'conclusion', 'recommendations'] as const).map((f) => (
            <section key={f}>
              <h2>{t(`minutes.${f}`)}</h2>
              <p className="prewrap">{m[f]}</p>
            </section>
          ))}
          {m.diagnoses?.length ? (
            <section>
              <h2>{t('minutes.diagnoses')}</h2>
              <ul aria-label={t('minutes.diagnoses')}>
                {m.diagnoses.map((d) => (
                  <li key={d.code}>
                    <code>{d.code}</code> {d.name}
                    {d.primary ? ` · ${t('minutes.diagnosisPrimary')}` : ''}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <p>
            {t('minutes.chair')}: {m.chair?.fullName ?? '—'}
          </p>
          {m.versions && m.versions.length > 1 ? (
            <>
              <h2>{t('minutes.versions')}</h2>
              <ul aria-label={t('minutes.versions')}>
                {m.versions.map((v) => (
                  <li key={v.id}>
                    {t('minutes.version', { n: v.version })} ·{' '}
                    {v.signedAt ? formatDateTime(v.signedAt, i18n.language) : t('minutes.draft')}{' '}
                    {v.signedAt ? (
                      <button
                        type="button"
                        className="link"
                        onClick={() => void get('pdf', v.version)}
                        aria-label={t('minutes.downloadVersion', { n: v.version })}
                      >
                        PDF
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </article>
      ) : null}
      {m && hasRole('specialist', 'coordinator') ? (
        editing ? (
          <section className="card" aria-label={t('minutes.editor')}>
            <MinutesEditor
              consultationId={id}
              selfId={user?.id ?? ''}
              participants={[
                ...(m.chair && !m.participants.some((p) => p.userId === m.chair!.id)
                  ? [m.chair]
                  : []),
                ...m.participants.map((p) => ({ id: p.userId, fullName: p.fullName })),
              ]}
              onSigned={() => void minutes.reload()}
            />
          </section>
        ) : (
          <button type="button" onClick={() => setEditing(true)}>
            {m.signedAt ? t('minutes.correct') : t('minutes.edit')}
          </button>
        )
      ) : null}
      {!m && !minutes.loading && !minutes.error ? <p>{t('minutes.none')}</p> : null}
    </Page>
  );
}
