import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LimitedSignIn, TokenPair } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { errorText, FieldError } from '../ui';

type Answer = TokenPair | LimitedSignIn | { passwordChanged: true };

/**
 * Change of one's own password: from the account page (signed in), or as the step a sign-in owes
 * (`token`: the limited token login answered with).
 */
export function PasswordChangeForm({
  token,
  onDone,
}: {
  token?: string;
  onDone: (answer: Answer) => void;
}) {
  const { t } = useTranslation();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mismatch = confirm.length > 0 && confirm !== newPassword;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.changePassword({ currentPassword, newPassword }, token));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="password-change-title">
      <h2 id="password-change-title">{t('account.passwordTitle')}</h2>
      {token ? <p className="notice">{t('account.passwordRequired')}</p> : null}
      <label>
        {t('account.currentPassword')}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </label>
      <FieldError error={error} field="currentPassword" />
      <label>
        {t('account.newPassword')}
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
        />
      </label>
      <p className="muted">{t('account.passwordRule')}</p>
      <FieldError error={error} field="newPassword" />
      <label>
        {t('account.confirmPassword')}
        <input
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
      </label>
      {mismatch ? (
        <p role="alert" className="error">
          {t('account.passwordMismatch')}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy || mismatch}>
        {t('account.passwordSubmit')}
      </button>
    </form>
  );
}
