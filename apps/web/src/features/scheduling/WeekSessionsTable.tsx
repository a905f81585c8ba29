import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { SessionListItem } from '@caunoi/shared';
import { isoToVnLocal } from '../../i18n/format';
import type { Scheduling } from './useScheduling';

/** The week's sessions: a new start for those still ahead, a room link, cancel. */
export function WeekSessionsTable({
  s,
  onCancel,
}: {
  s: Scheduling;
  onCancel: (x: SessionListItem) => void;
}) {
  const { t } = useTranslation();
  const sessions = s.sessions.data;
  return (
    <section className="card" aria-labelledby="week-sessions">
      <h2 id="week-sessions">{t('scheduling.weekSessions')}</h2>
      <table aria-label={t('scheduling.weekSessions')}>
        <thead>
          <tr>
            <th scope="col">{t('sessions.when')}</th>
            <th scope="col">{t('sessions.subject')}</th>
            <th scope="col">{t('scheduling.reschedule')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(sessions ?? [])
            .filter((x) => x.status !== 'cancelled')
            .map((x) => (
              <tr key={x.id}>
                <td>{s.slotLabel(x)}</td>
                <td>{x.title ?? '—'}</td>
                <td>
                  {x.status === 'scheduled' && Date.parse(x.startsAt) > Date.now() ? (
                    <input
                      type="datetime-local"
                      aria-label={t('scheduling.newStartFor', { when: s.slotLabel(x) })}
                      defaultValue={isoToVnLocal(x.startsAt)}
                      onBlur={(e) => {
                        if (e.target.value && e.target.value !== isoToVnLocal(x.startsAt))
                          void s.reschedule(x, e.target.value);
                      }}
                    />
                  ) : (
                    <span className="muted">{t(`sessionStatus.${x.status ?? 'scheduled'}`)}</span>
                  )}
                </td>
                <td className="row">
                  <Link to={`/sessions/${x.id}`}>{t('sessions.enterRoom')}</Link>
                  {x.status === 'scheduled' ? (
                    <button
                      type="button"
                      onClick={() => onCancel(x)}
                      aria-label={t('scheduling.cancelFor', { when: s.slotLabel(x) })}
                    >
                      {t('scheduling.cancelSession')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          {sessions && sessions.length === 0 ? (
            <tr>
              <td colSpan={4}>{t('sessions.none')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
