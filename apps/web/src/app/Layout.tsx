import { useEffect } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Role } from '@caunoi/shared';
import { useAuth } from './auth';
import { EmergencyAlerts } from './EmergencyAlerts';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './NotificationBell';
import { prefetchRoomWhenIdle } from './prefetch';
import { markJoinStep } from '../conference/marks';

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
}

const NAV: NavItem[] = [
  { to: '/patients', label: 'nav.patients', roles: ['requester'] },
  { to: '/consultations/new', label: 'nav.newConsultation', roles: ['requester'] },
  { to: '/consultations', label: 'nav.myRequests', roles: ['requester'] },
  { to: '/triage', label: 'nav.triage', roles: ['coordinator'] },
  { to: '/scheduling', label: 'nav.scheduling', roles: ['coordinator'] },
  { to: '/on-call', label: 'nav.onCall', roles: ['coordinator', 'specialist'] },
  { to: '/training/new', label: 'nav.newTraining', roles: ['coordinator'] },
  {
    to: '/my-sessions',
    label: 'nav.mySessions',
    roles: ['specialist', 'requester', 'coordinator'],
  },
  { to: '/admin', label: 'nav.admin', roles: ['admin'] },
  {
    to: '/help',
    label: 'nav.help',
    roles: ['requester', 'specialist', 'coordinator', 'admin'],
  },
];

/** Role-aware navigation: each user sees only the places their roles can use. */
export function Layout() {
  const { t } = useTranslation();
  const { user, signOut, hasRole } = useAuth();
  const navigate = useNavigate();
  const joinsRooms = hasRole('specialist', 'requester', 'coordinator');
  // Whoever may join a session gets the room's code while reading any other screen.
  useEffect(() => markJoinStep('shell-shown'), []);
  useEffect(() => {
    if (joinsRooms) prefetchRoomWhenIdle();
  }, [joinsRooms]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <span className="brand" aria-label={t('app.name')}>
          <span aria-hidden="true">⌒</span> {t('app.name')}
        </span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {NAV.filter((n) => hasRole(...n.roles)).map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.to === '/consultations'}>
                  {t(n.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-right">
          <NotificationBell />
          <LanguageSwitch />
          {user ? (
            <>
              <span className="whoami" aria-label={t('nav.signedInAs', { name: user.fullName })}>
                {user.fullName} · {user.roles.map((r) => t(`role.${r}`)).join(', ')}
              </span>
              <Link to="/account">{t('nav.account')}</Link>
              <button
                type="button"
                onClick={async () => {
                  await signOut();
                  navigate('/login');
                }}
              >
                {t('nav.signOut')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <EmergencyAlerts />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
