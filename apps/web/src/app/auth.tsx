import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { Role, UserSummary } from '@caunoi/shared';
import { getAuth, onAuthChange, refreshSession, secondsUntilExpiry, setAuth } from '../api/client';
import { api } from '../api/endpoints';
import { closeCollabSocket } from '../api/collab';

interface AuthValue {
  user: UserSummary | null;
  signIn: (email: string, password: string) => Promise<UserSummary>;
  signOut: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
  /** Set when a session ended because the refresh token was refused. */
  expired: boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserSummary | null>(() => getAuth()?.user ?? null);
  const [expired, setExpired] = useState(false);

  useEffect(
    () =>
      onAuthChange((a) => {
        setUser((prev) => {
          if (prev && !a) setExpired(true);
          // The collaboration socket is authenticated as one person: never reuse it for another.
          if (!a || (prev && prev.id !== a.user.id)) closeCollabSocket();
          return a?.user ?? null;
        });
      }),
    [],
  );

  // Silent refresh shortly before the access token expires, so a clinician in a long session
  // is never bounced to the sign-in page.
  useEffect(() => {
    if (!user) return;
    const timer = setInterval(() => {
      const a = getAuth();
      if (!a) return;
      const left = secondsUntilExpiry(a.accessToken);
      if (left !== null && left < 60) void refreshSession();
    }, 20_000);
    return () => clearInterval(timer);
  }, [user]);

  const signIn = useCallback(async (email: string, password: string) => {
    const pair = await api.login(email, password);
    setExpired(false);
    setAuth({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, user: pair.user });
    return pair.user;
  }, []);

  const signOut = useCallback(async () => {
    const a = getAuth();
    try {
      if (a) await api.logout(a.refreshToken);
    } catch {
      /* signing out locally is what matters */
    }
    setAuth(null);
    closeCollabSocket();
    setExpired(false);
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      user,
      signIn,
      signOut,
      expired,
      hasRole: (...roles) => !!user && roles.some((r) => user.roles.includes(r)),
    }),
    [user, signIn, signOut, expired],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** Where each role lands after signing in. */
export function homeFor(user: Pick<UserSummary, 'roles'>): string {
  if (user.roles.includes('coordinator')) return '/triage';
  if (user.roles.includes('requester')) return '/consultations';
  if (user.roles.includes('specialist')) return '/my-sessions';
  if (user.roles.includes('admin')) return '/admin';
  return '/';
}
