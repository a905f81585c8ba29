import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import {
  MINUTES_WRITABLE_STATUSES,
  TRANSITIONS_WITH_REASON,
  type ConsultationAction,
} from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { useAuth } from '../../app/auth';
import { ErrorMessage, Loading, Page, StatusBadge, UrgencyBadge, useLoad } from '../../app/ui';
import { formatDate, formatDateTime } from '../../i18n/format';
import { AssignmentPanel } from './AssignmentPanel';
import { AttachmentList } from './AttachmentList';
import { PacsImportButton } from './PacsImportButton';
import { ReasonDialog } from '../../shared/ReasonDialog';
import { specialtyLabel } from '../../shared/specialties';

export function ConsultationDetailPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { hasRole } = useAuth();
  const location = useLocation();
  const flash = (location.state as { flash?: string } | null)?.flash;
  const c = useLoad(() => api.consultation(id), [id]);
  const attachments = useLoad(() => api.attachments(id).catch(() => []), [id]);
  // The request view does not list its sessions: find them among the caller's own.
  const sessionsOf = useLoad(async () => {
    const mine = await api.sessions({ mine: true }).catch(() => []);
    const details = await Promise.all(
      mine.slice(0, 30).map((s) => api.session(s.id).catch(() => null)),
    );
    return details.filter(
      (s): s is NonNullable<typeof s> =>
        !!s && s.consultationIds.includes(id) && s.status !== 'cancelled',
    );
  }, [id, c.data?.status]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'decline' | 'cancel' | null>(null);

  async function act(action: ConsultationAction, reason?: string) {
    setBusy(true);
    setError(null);
    try {
      c.setData(await api.transition(id, action, reason));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setDialog(null);
    }
  }

  if (!c.data)
    return c.error ? (
      <Page title={t('consultations.detailTitle')}>
        <ErrorMessage error={c.error} />
      </Page>
    ) : (
      <Loading />
    );
  const con = c.data;
  // The API says which actions this caller may take now; the page shows exactly those.
  const may = (action: ConsultationAction) => con.allowedActions.includes(action);
  const sessions = sessionsOf.data ?? [];

  return (
    <Page title={t('consultations.detailTitle')} actions={<StatusBadge status={con.status} />}>
      {flash ? (
        <p role="status" className="success">
          {t(`consultations.flash.${flash}`)}
        </p>
      ) : null}
      {con.urgency === 'emergency' && con.mode === 'live' && con.status === 'submitted' ? (
        <p role="status" className="notice emergency-waiting">
          {t('emergency.waiting')}
        </p>
      ) : null}
      <div className="two-col">
        <article className="card">
          <dl className="facts">
            <dt>{t('consultations.patient')}</dt>
            <dd>
              {con.patient?.fullName ?? '—'}{' '}
              {con.patient?.dateOfBirth ? `(${formatDate(con.patient.dateOfBirth)})` : ''}
            </dd>
            <dt>{t('consultations.requestingFacility')}</dt>
            <dd>{con.requestingFacility?.name ?? '—'}</dd>
            <dt>{t('consultations.targetFacility')}</dt>
            <dd>{con.targetFacility?.name ?? '—'}</dd>
            <dt>{t('consultations.specialty')}</dt>
            <dd>{specialtyLabel(t, con.specialty)}</dd>
            <dt>{t('consultations.urgency')}</dt>
            <dd>
              <UrgencyBadge urgency={con.urgency} />
            </dd>
            <dt>{t('consultations.mode')}</dt>
            <dd>{t(`consultations.modes.${con.mode}`)}</dd>
            <dt>{t('consultations.createdAt')}</dt>
            <dd>{formatDateTime(con.createdAt, i18n.language)}</dd>
          </dl>
          <h2>{t('consultations.summary')}</h2>
          <p className="prewrap">{con.summary}</p>
          <h2>{t('consultations.question')}</h2>
          <p className="prewrap">{con.question}</p>
          {con.statusReason && TRANSITIONS_WITH_REASON.includes(con.status) ? (
            <p>
              <strong>{t('consultations.declineReason')}:</strong> {con.statusReason}
            </p>
          ) : null}
          <div className="row wrap">
            {may('submit') ? (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void act('submit')}
              >
                {t('consultations.submit')}
              </button>
            ) : null}
            {may('accept') ? (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void act('accept')}
              >
                {t('triage.accept')}
              </button>
            ) : null}
            {may('decline') ? (
              <button type="button" disabled={busy} onClick={() => setDialog('decline')}>
                {t('triage.decline')}
              </button>
            ) : null}
            {hasRole('coordinator') && con.status === 'accepted' && con.mode !== 'written' ? (
              <Link className="button primary" to={`/scheduling?consultationId=${con.id}`}>
                {t('triage.schedule')}
              </Link>
            ) : null}
            {may('cancel') ? (
              <button type="button" disabled={busy} onClick={() => setDialog('cancel')}>
                {t('consultations.cancel')}
              </button>
            ) : null}
            {MINUTES_WRITABLE_STATUSES.includes(con.status) ? (
              <Link to={`/consultations/${con.id}/minutes`}>{t('minutes.open')}</Link>
            ) : null}
          </div>
          <ErrorMessage error={error} />
        </article>
        <div>
          <AssignmentPanel consultation={con} onChange={c.setData} />
          <section className="card" aria-labelledby="att-title">
            <h2 id="att-title">{t('attachments.title')}</h2>
            <PacsImportButton consultation={con} onImported={() => void attachments.reload()} />
            {attachments.data ? <AttachmentList attachments={attachments.data} /> : null}
          </section>
          <section className="card" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t('sessions.title')}</h2>
            <ul>
              {sessions.map((s) => (
                <li key={s.id}>
                  {formatDateTime(s.startsAt, i18n.language)} –{' '}
                  {formatDateTime(s.endsAt, i18n.language)}{' '}
                  <Link to={`/sessions/${s.id}`}>{t('sessions.enterRoom')}</Link>
                </li>
              ))}
              {sessions.length === 0 ? <li>{t('sessions.none')}</li> : null}
            </ul>
          </section>
          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">{t('consultations.history')}</h2>
            <ol className="history" aria-label={t('consultations.history')}>
              {con.history.map((h, i) => (
                <li key={i}>
                  <StatusBadge status={h.to} /> {formatDateTime(h.at, i18n.language)}
                  {h.actor ? ` · ${h.actor.fullName}` : ''}
                  {h.reason ? ` — ${h.reason}` : ''}
                </li>
              ))}
              {con.history.length === 0 ? <li>{t('consultations.noHistory')}</li> : null}
            </ol>
          </section>
        </div>
      </div>
      {dialog ? (
        <ReasonDialog
          title={dialog === 'decline' ? t('triage.declineTitle') : t('consultations.cancelTitle')}
          onCancel={() => setDialog(null)}
          onConfirm={(reason) => void act(dialog, reason)}
        />
      ) : null}
    </Page>
  );
}
