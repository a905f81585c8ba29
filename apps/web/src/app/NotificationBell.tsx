import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { COLLAB_SERVER_EVENTS, type UserNotification } from '@caunoi/shared';
import { collabSocket } from '../api/collab';
import { formatDateTime } from '../i18n/format';
import { BellIcon } from './icons';

/** Live notifications pushed to the user's personal room (e.g. invited to a session). */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<UserNotification[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const socket = collabSocket();
    const on = (n: UserNotification) => setItems((prev) => [n, ...prev].slice(0, 20));
    socket.on(COLLAB_SERVER_EVENTS.notification, on);
    return () => {
      socket.off(COLLAB_SERVER_EVENTS.notification, on);
    };
  }, []);
  return (
    <div className="bell">
      <button
        type="button"
        aria-expanded={open}
        aria-label={t('notifications.label', { count: items.length })}
        onClick={() => setOpen(!open)}
      >
        <BellIcon /> {items.length ? <span className="count">{items.length}</span> : null}
      </button>
      {open ? (
        <ul className="bell-list" aria-label={t('notifications.title')}>
          {items.length === 0 ? <li>{t('notifications.none')}</li> : null}
          {items.map((n, i) => (
            <li key={i}>
              <strong>{t(`notifications.kind.${n.kind}`)}</strong> {n.title}{' '}
              <small>{formatDateTime(n.at, i18n.language)}</small>{' '}
              {n.sessionId ? (
                <Link to={`/sessions/${n.sessionId}`}>{t('notifications.open')}</Link>
              ) : n.consultationId ? (
                <Link to={`/consultations/${n.consultationId}`}>{t('notifications.open')}</Link>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
