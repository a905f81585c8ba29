import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordChangeForm } from './PasswordChangeForm';
import { TotpEnrolment } from './TotpEnrolment';

/** The signed-in user's own account: password and the TOTP second factor. */
export function AccountPage() {
  const { t } = useTranslation();
  const [done, setDone] = useState<string | null>(null);
  return (
    <div className="stack">
      <h1>{t('account.title')}</h1>
      {done ? (
        <p role="status" className="notice">
          {done}
        </p>
      ) : null}
      <div className="card">
        <PasswordChangeForm onDone={() => setDone(t('account.passwordChanged'))} />
      </div>
      <div className="card">
        <TotpEnrolment onDone={() => setDone(t('account.totpActive'))} />
      </div>
    </div>
  );
}
