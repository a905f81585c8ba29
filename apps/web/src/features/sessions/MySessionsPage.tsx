import { useTranslation } from 'react-i18next';
import { CLOSED_SESSION_STATUSES } from '@caunoi/shared';
import { Link } from 'react-router-dom';
import { api } from '../../api/endpoints';
import { useAuth } from '../../app/auth';
import { ErrorMessage, Loading, Page, StatusBadge, UrgencyBadge, useLoad } from '../../app/ui';
import { formatDateTime, formatTime } from '../../i18n/format';
import { specialtyLabel } from '../../shared/specialties';

/** Upcoming sessions of the signed-in user; for specialists also the requests addressed to them. */
export function MySessionsPage() {
  const { t, i18n } = useTranslation();
  const { user, hasRole } = useAuth();
  const sessions = useLoad(async () => {
    const since = new Date(Date.now() - 6 * 3600_000).toISOString();
    const list = await api.sessions({ mine: true, from: since });
    return list
      .filter(
        (s) =>
          !CLOSED_SESSION_STATUSES.includes(s.status) &&
          Date.parse(s.endsAt) > Date.now() - 6 * 3600_000,
      )
      .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  }, []);
  // A specialist sees the cases they take part in (assigned, or invited to one of their sessions).
  const requests = useLoad(
    () =>
      hasRole('specialist') ? api.consultations({ role: 'participant' }) : Promise.resolve([]),
    [user?.id],
  );
  const calendar = useLoad(() => api.calendarUrl().catch(() => null), []);

  return (
    <Page title={t('sessions.mineTitle')}>
      <section className="card" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t('sessions.upcoming')}</h2>
        {sessions.loading && !sessions.data ? <Loading /> : null}
        <ErrorMessage error={sessions.error} />
        <ul className="session-list" aria-label={t('sessions.upcoming')}>
          {(sessions.data ?? []).map((s) => (
            <li key={s.id}>
              <strong>
                {formatDateTime(s.startsAt, i18n.language)} – {formatTime(s.endsAt, i18n.language)}
              </strong>{' '}
              {s.title || t('sessions.untitled')}{' '}
              <Link
                className="button primary"
                to={`/sessions/${s.id}`}
                aria-label={t('sessions.enterRoomAt', {
                  when: formatDateTime(s.startsAt, i18n.language),
                })}
              >
                {t('sessions.enterRoom')}
              </Link>
            </li>
          ))}
          {sessions.data && sessions.data.length === 0 ? <li>{t('sessions.none')}</li> : null}
        </ul>
        {calendar.data?.url ? (
          <p>
            <a href={calendar.data.url}>{t('sessions.addToCalendar')}</a>
          </p>
        ) : null}
      </section>
      {hasRole('specialist') ? (
        <section className="card" aria-labelledby="addressed-title">
          <h2 id="addressed-title">{t('sessions.addressed')}</h2>
          <ErrorMessage error={requests.error} />
          <table aria-label={t('sessions.addressed')}>
            <thead>
              <tr>
                <th scope="col">{t('consultations.patient')}</th>
                <th scope="col">{t('consultations.requestingFacility')}</th>
                <th scope="col">{t('consultations.specialty')}</th>
                <th scope="col">{t('consultations.urgency')}</th>
                <th scope="col">{t('consultations.status')}</th>
              </tr>
            </thead>
            <tbody>
              {(requests.data ?? []).map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/consultations/${c.id}`}>
                      {c.patient?.fullName ?? c.id.slice(0, 8)}
                    </Link>
                  </td>
                  <td>{c.requestingFacility?.name ?? '—'}</td>
                  <td>{specialtyLabel(t, c.specialty)}</td>
                  <td>
                    <UrgencyBadge urgency={c.urgency} />
                  </td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                </tr>
              ))}
              {requests.data && requests.data.length === 0 ? (
                <tr>
                  <td colSpan={5}>{t('consultations.none')}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </section>
      ) : null}
    </Page>
  );
}
