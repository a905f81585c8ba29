import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Role } from '@caunoi/shared';
import { AuthProvider, homeFor, useAuth } from './auth';
import { LoginPage } from './LoginPage';
import { ForbiddenPage, NotFoundPage } from './ErrorPages';
import { Loading } from './ui';
import { loadLayout, loadSessionRoom } from './prefetch';
// Every screen but sign-in loads on demand: on a commune's 256 kbit/s line the sign-in page must
// not wait for the calendar, media, pdf.js or the forms of other roles.
const named = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));
// The signed-in shell (navigation, notifications over socket.io) is not needed to sign in.
const Layout = named(loadLayout, 'Layout');
const PatientsPage = named(() => import('../features/patients/PatientsPage'), 'PatientsPage');
const NewConsultationPage = named(
  () => import('../features/consultations/NewConsultationPage'),
  'NewConsultationPage',
);
const MyRequestsPage = named(
  () => import('../features/consultations/MyRequestsPage'),
  'MyRequestsPage',
);
const ConsultationDetailPage = named(
  () => import('../features/consultations/ConsultationDetailPage'),
  'ConsultationDetailPage',
);
const TriagePage = named(() => import('../features/triage/TriagePage'), 'TriagePage');
const MySessionsPage = named(() => import('../features/sessions/MySessionsPage'), 'MySessionsPage');
const MinutesPage = named(() => import('../features/minutes/MinutesPage'), 'MinutesPage');
const AccountPage = named(() => import('./account/AccountPage'), 'AccountPage');
const SchedulingPage = lazy(() => import('../features/scheduling/SchedulingPage'));
const NewTrainingPage = named(
  () => import('../features/training/NewTrainingPage'),
  'NewTrainingPage',
);
const SessionRoomPage = lazy(loadSessionRoom);
const AdminPage = lazy(() => import('../features/admin/AdminPage'));
const RecordingPlaybackPage = lazy(() => import('../features/recordings/RecordingPlaybackPage'));
const OnCallPage = lazy(() => import('../features/oncall/OnCallPage'));
const HelpPage = lazy(() => import('../features/help/HelpPage'));

function RequireAuth({ children, roles }: { children: ReactNode; roles?: Role[] }) {
  const { user, hasRole, ready } = useAuth();
  const location = useLocation();
  if (!ready) return <Loading />;
  if (!user)
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (roles && !hasRole(...roles)) return <ForbiddenPage />;
  return <>{children}</>;
}

function Home() {
  const { user, ready } = useAuth();
  if (!ready) return <Loading />;
  return <Navigate to={user ? homeFor(user) : '/login'} replace />;
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <RequireAuth>
                  <Layout />
                </RequireAuth>
              }
            >
              <Route index element={<Home />} />
              <Route
                path="patients"
                element={
                  <RequireAuth roles={['requester']}>
                    <PatientsPage />
                  </RequireAuth>
                }
              />
              <Route
                path="consultations/new"
                element={
                  <RequireAuth roles={['requester']}>
                    <NewConsultationPage />
                  </RequireAuth>
                }
              />
              <Route
                path="consultations"
                element={
                  <RequireAuth roles={['requester']}>
                    <MyRequestsPage />
                  </RequireAuth>
                }
              />
              <Route path="consultations/:id" element={<ConsultationDetailPage />} />
              <Route path="consultations/:id/minutes" element={<MinutesPage />} />
              <Route
                path="triage"
                element={
                  <RequireAuth roles={['coordinator']}>
                    <TriagePage />
                  </RequireAuth>
                }
              />
              <Route
                path="scheduling"
                element={
                  <RequireAuth roles={['coordinator']}>
                    <SchedulingPage />
                  </RequireAuth>
                }
              />
              <Route
                path="on-call"
                element={
                  <RequireAuth roles={['coordinator', 'specialist']}>
                    <OnCallPage />
                  </RequireAuth>
                }
              />
              <Route
                path="training/new"
                element={
                  <RequireAuth roles={['coordinator']}>
                    <NewTrainingPage />
                  </RequireAuth>
                }
              />
              <Route path="my-sessions" element={<MySessionsPage />} />
              <Route path="help" element={<HelpPage />} />
              <Route path="sessions/:id" element={<SessionRoomPage />} />
              <Route path="recordings/:id" element={<RecordingPlaybackPage />} />
              <Route
                path="admin"
                element={
                  <RequireAuth roles={['admin']}>
                    <AdminPage />
                  </RequireAuth>
                }
              />
              <Route path="account" element={<AccountPage />} />
              <Route path="forbidden" element={<ForbiddenPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </Suspense>
      </BrowserRouter>
    </AuthProvider>
  );
}
