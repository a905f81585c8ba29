import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TokenPair, TotpEnrolment as Enrolment } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { errorText } from '../ui';

type Answer = { recoveryCodes: string[] } & Partial<TokenPair>;

/**
 * TOTP enrolment: the secret and its otpauth:// link (opens the authenticator app on a phone),
 * a first code to activate it, then the ten recovery codes, shown once.
 */
export function TotpEnrolment({
  token,
  onDone,
}: {
  token?: string;
  onDone: (answer: Answer) => void;
}) {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function verify(e: FormEvent) {
    e.preventDefault();
    await run(async () => setAnswer(await api.verifyTotp(code.trim(), token)));
  }

  if (answer)
    return (
      <section aria-labelledby="recovery-title">
        <h2 id="recovery-title">{t('account.recoveryTitle')}</h2>
        <p className="notice">{t('account.recoveryHelp')}</p>
        <ul className="recovery-codes" aria-label={t('account.recoveryTitle')}>
          {answer.recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" className="primary" onClick={() => onDone(answer)}>
          {t('account.recoverySaved')}
        </button>
      </section>
    );

  return (
    <section aria-labelledby="totp-title">
      <h2 id="totp-title">{t('account.totpTitle')}</h2>
      {token ? <p className="notice">{t('account.totpRequired')}</p> : null}
      {!enrolment ? (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => run(async () => setEnrolment(await api.beginTotp(token)))}
        >
          {t('account.totpStart')}
        </button>
      ) : (
        <form onSubmit={verify}>
          <p>{t('account.totpScan')}</p>
          <p>
            <a href={enrolment.otpauthUri}>{t('account.totpOpenApp')}</a>
          </p>
          <p>
            {t('account.totpSecret')} <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <label>
            {t('account.totpCode')}
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t('account.totpVerify')}
          </button>
        </form>
      )}
      {error ? (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      ) : null}
    </section>
  );
}
