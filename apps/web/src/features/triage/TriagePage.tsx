import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { URGENCIES } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import type { ConsultationView } from '@caunoi/shared';
import { ErrorMessage, Loading, Page, StatusBadge, UrgencyBadge, useLoad } from '../../app/ui';
import { formatDateTime, formatDuration } from '../../i18n/format';
import { ReasonDialog } from '../../shared/ReasonDialog';
import { SPECIALTIES, specialtyLabel } from '../../shared/specialties';
import { isOverdue, triageOrder, waitingMinutes } from './triage';

/** Coordinator's queue of requests addressed to their facility. */
export function TriagePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [urgency, setUrgency] = useState('');
  const [specialty, setSpecialty] = useState('');
  const [status, setStatus] = useState<'submitted' | 'accepted'>('submitted');
  const list = useLoad(
    () =>
      api.consultations({
        role: 'target',
        status,
        urgency: urgency || undefined,
        specialty: specialty || undefined,
      }),
    [status, urgency, specialty],
  );
  const [now, setNow] = useState(() => new Date());
  const [declining, setDeclining] = useState<ConsultationView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const rows = useMemo(
    () =>
      triageOrder(
        (list.data ?? []).filter(
          (c) => (!urgency || c.urgency === urgency) && (!specialty || c.specialty === specialty),
        ),
      ),
    [list.data, urgency, specialty],
  );

  async function act(c: ConsultationView, action: 'accept' | 'decline', reason?: string) {
    setBusyId(c.id);
    setError(null);
    try {
      await api.transition(c.id, action, reason);
      await list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusyId(null);
      setDeclining(null);
    }
  }

  return (
    <Page title={t('triage.title')}>
      <div className="row wrap filters" role="group" aria-label={t('triage.filters')}>
        <div role="tablist" aria-label={t('triage.queue')} className="tabs">
          {(['submitted', 'accepted'] as const).map((s) => (
            <button
              key={s}
              role="tab"
              type="button"
              aria-selected={status === s}
              onClick={() => setStatus(s)}
            >
              {t(`triage.tab.${s}`)}
            </button>
          ))}
        </div>
        <label className="inline-label">
          {t('consultations.urgency')}
          <select value={urgency} onChange={(e) => setUrgency(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {URGENCIES.map((u) => (
              <option key={u} value={u}>
                {t(`urgency.${u}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          {t('consultations.specialty')}
          <select value={specialty} onChange={(e) => setSpecialty(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {SPECIALTIES.map((s) => (
              <option key={s} value={s}>
                {specialtyLabel(t, s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorMessage error={list.error ?? error} />
      <table aria-label={t('triage.queue')}>
        <thead>
          <tr>
            <th scope="col">{t('consultations.urgency')}</th>
            <th scope="col">{t('consultations.patient')}</th>
            <th scope="col">{t('consultations.requestingFacility')}</th>
            <th scope="col">{t('consultations.specialty')}</th>
            <th scope="col">{t('triage.waiting')}</th>
            <th scope="col">{t('consultations.status')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const overdue = c.status === 'submitted' && isOverdue(c, now);
            const name = c.patient?.fullName ?? c.id.slice(0, 8);
            return (
              <tr key={c.id} className={overdue ? 'overdue' : undefined}>
                <td>
                  <UrgencyBadge urgency={c.urgency} />
                </td>
                <td>
                  <Link to={`/consultations/${c.id}`}>{name}</Link>
                  <div className="muted small">{c.question.slice(0, 120)}</div>
                </td>
                <td>{c.requestingFacility?.name ?? '—'}</td>
                <td>{specialtyLabel(t, c.specialty)}</td>
                <td title={formatDateTime(c.submittedAt ?? c.createdAt, i18n.language)}>
                  {formatDuration(waitingMinutes(c, now), i18n.language)}
                  {overdue ? (
                    <strong className="overdue-flag"> {t('triage.overdue')}</strong>
                  ) : null}
                </td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td className="row">
                  {c.status === 'submitted' ? (
                    <>
                      <button
                        type="button"
                        className="primary"
                        disabled={busyId === c.id}
                        onClick={() => void act(c, 'accept')}
                        aria-label={t('triage.acceptNamed', { name })}
                      >
                        {t('triage.accept')}
                      </button>
                      <button
                        type="button"
                        disabled={busyId === c.id}
                        onClick={() => setDeclining(c)}
                        aria-label={t('triage.declineNamed', { name })}
                      >
                        {t('triage.decline')}
                      </button>
                    </>
                  ) : null}
                  {c.status === 'accepted' ? (
                    <button
                      type="button"
                      className="primary"
                      onClick={() => navigate(`/scheduling?consultationId=${c.id}`)}
                      aria-label={t('triage.scheduleNamed', { name })}
                    >
                      {t('triage.schedule')}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
          {list.data && rows.length === 0 ? (
            <tr>
              <td colSpan={7}>{t('triage.empty')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {declining ? (
        <ReasonDialog
          title={t('triage.declineTitle')}
          onCancel={() => setDeclining(null)}
          onConfirm={(r) => void act(declining, 'decline', r)}
        />
      ) : null}
    </Page>
  );
}
