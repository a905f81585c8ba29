import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { LoginResponse, Role, TokenPair, UserSummary } from '@caunoi/shared';
import { getAuth, onAuthChange, refreshSession, secondsUntilExpiry, setAuth } from '../api/client';
import { api } from '../api/endpoints';
import { signInOutcome, type SignInOutcome } from './sign-in';
import { markJoinStep } from '../conference/marks';

export type { SignInOutcome };

interface AuthValue {
  user: UserSummary | null;
  /** False until the silent sign-in through the refresh cookie has answered (page load). */
  ready: boolean;
  signIn: (email: string, password: string) => Promise<SignInOutcome>;
  /** Takes any answer of the sign-in routes: a token pair finishes the sign-in. */
  continueSignIn: (answer: LoginResponse | Partial<TokenPair> | object) => SignInOutcome | null;
  signOut: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
  /** Set when a session ended because the refresh token was refused. */
  expired: boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

/**
 * Whether this browser holds a sign-in (no token, just a flag): the refresh cookie is httpOnly, so
 * without it a page load would ask the API and get a 401 on every visit to the sign-in page.
 */
const SIGNED_IN_FLAG = 'caunoi.signedIn';
const flag = {
  get: () => {
    try {
      return localStorage.getItem(SIGNED_IN_FLAG) === '1';
    } catch {
      return true;
    }
  },
  set: (on: boolean) => {
    try {
      if (on) localStorage.setItem(SIGNED_IN_FLAG, '1');
      else localStorage.removeItem(SIGNED_IN_FLAG);
    } catch {
      /* storage disabled: the page asks the API each time */
    }
  },
};

/** Whether this browser signed in last time (the page load's silent sign-in will be tried). */
export const holdsSignIn = (): boolean => flag.get();

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserSummary | null>(() => getAuth()?.user ?? null);
  const [ready, setReady] = useState(() => getAuth() !== null);
  const [expired, setExpired] = useState(false);

  // The access token is kept in memory only: on load, sign in again through the refresh cookie.
  useEffect(() => {
    if (getAuth()) return;
    if (!flag.get()) return setReady(true);
    void refreshSession().finally(() => {
      markJoinStep('signed-in'); // a room's address waits on this before anything else
      setReady(true);
    });
  }, []);

  useEffect(
    () =>
      onAuthChange((a) => {
        flag.set(a !== null);
        setUser((prev) => {
          if (prev && !a) setExpired(true);
          // The collaboration socket closes itself when the person changes (api/collab.ts).
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

  const continueSignIn = useCallback(
    (answer: LoginResponse | Partial<TokenPair> | object): SignInOutcome | null => {
      const { outcome, auth } = signInOutcome(answer);
      if (auth) {
        setExpired(false);
        setAuth(auth);
      }
      return outcome;
    },
    [],
  );

  const signIn = useCallback(
    async (email: string, password: string) =>
      continueSignIn(await api.login(email, password)) as SignInOutcome,
    [continueSignIn],
  );

  const signOut = useCallback(async () => {
    const a = getAuth();
    try {
      if (a) await api.logout();
    } catch {
      /* signing out locally is what matters */
    }
    setAuth(null);
    setExpired(false);
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      user,
      ready,
      signIn,
      continueSignIn,
      signOut,
      expired,
      hasRole: (...roles) => !!user && roles.some((r) => user.roles.includes(r)),
    }),
    [user, ready, signIn, continueSignIn, signOut, expired],
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
