import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiRequestError } from '../api/client';
import { api } from '../api/endpoints';
import { PasswordChangeForm } from './account/PasswordChangeForm';
import { TotpEnrolment } from './account/TotpEnrolment';
import { homeFor, useAuth, type SignInOutcome } from './auth';
import { errorText } from './ui';
import { LanguageSwitch } from './LanguageSwitch';
import { prefetchWhileSigningIn } from './prefetch';

export function LoginPage() {
  const { t } = useTranslation();
  const { signIn, continueSignIn, expired } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  // While the person types (seconds), the line is idle: the shell and the room come meanwhile.
  useEffect(prefetchWhileSigningIn, []);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The step the sign-in still needs: second factor, forced password change, TOTP enrolment.
  const [pending, setPending] = useState<SignInOutcome | null>(null);
  const [code, setCode] = useState('');

  function proceed(outcome: SignInOutcome | null) {
    if (!outcome) return;
    if (outcome.kind !== 'done') {
      setPending(outcome);
      return;
    }
    const from = (location.state as { from?: string } | null)?.from;
    navigate(from && from !== '/login' ? from : homeFor(outcome.user), { replace: true });
  }

  async function submitCode(e: FormEvent) {
    e.preventDefault();
    if (pending?.kind !== 'mfa') return;
    setBusy(true);
    setError(null);
    try {
      proceed(continueSignIn(await api.loginSecondFactor(pending.mfaToken, code.trim())));
    } catch (err) {
      setError(
        err instanceof ApiRequestError && err.status === 401
          ? t('login.wrongCode')
          : errorText(t, err),
      );
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      proceed(await signIn(email.trim(), password));
    } catch (err) {
      setError(
        err instanceof ApiRequestError && err.status === 401
          ? t('login.wrongCredentials')
          : errorText(t, err),
      );
    } finally {
      setBusy(false);
    }
  }

  if (pending && pending.kind !== 'mfa' && pending.kind !== 'done')
    return (
      <main id="main" className="login">
        <div className="card login-card">
          {pending.kind === 'password_change' ? (
            <PasswordChangeForm
              token={pending.limitedToken}
              onDone={(answer) => proceed(continueSignIn(answer))}
            />
          ) : (
            <TotpEnrolment
              token={pending.limitedToken}
              onDone={(answer) => proceed(continueSignIn(answer))}
            />
          )}
        </div>
      </main>
    );

  if (pending?.kind === 'mfa')
    return (
      <main id="main" className="login">
        <form className="card login-card" onSubmit={submitCode} aria-labelledby="mfa-title">
          <h1 id="mfa-title">{t('login.mfaTitle')}</h1>
          <p className="muted">{t('login.mfaHelp')}</p>
          <label>
            {t('login.mfaCode')}
            <input
              autoComplete="one-time-code"
              required
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
          {error ? (
            <p role="alert" className="error">
              {error}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>
            {t('login.mfaSubmit')}
          </button>
        </form>
      </main>
    );

  return (
    <main id="main" className="login">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t('app.name')}</h1>
        <p className="muted">{t('app.tagline')}</p>
        {expired ? (
          <p role="status" className="notice">
            {t('login.expired')}
          </p>
        ) : null}
        <label>
          {t('login.email')}
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          {t('login.password')}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.signingIn') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
