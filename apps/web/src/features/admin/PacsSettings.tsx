import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PACS_AUTH_KINDS,
  type PacsAuthKind,
  type PacsConfig,
  type PacsTestResult,
} from '@caunoi/shared';
import { pacsApi } from '../../api/pacs';
import { ErrorMessage } from '../../app/ui';
import { SettingNotice, useFacilitySetting } from './facilitySetting';
import { Field, TextField } from './fields';
import { useSubmit } from './listEdit';

interface Form {
  baseUrl: string;
  label: string;
  authKind: PacsAuthKind;
  username: string;
  password: string;
  token: string;
}

const formOf = (c: PacsConfig | null): Form => ({
  baseUrl: c?.baseUrl ?? '',
  label: c?.label ?? '',
  authKind: c?.authKind ?? 'basic',
  username: c?.username ?? '',
  password: '',
  token: '',
});

/**
 * The facility's PACS (DICOMweb) under its edit form: address, sign-in, "test connection".
 * The stored password or token is never shown; an empty field keeps it.
 */
export function PacsSettings({ facilityId }: { facilityId: string }) {
  const { t } = useTranslation();
  const {
    stored,
    current,
    form: f,
    edit,
    notice,
    setNotice,
    settle,
  } = useFacilitySetting(facilityId, pacsApi.config, formOf);
  const [test, setTest] = useState<PacsTestResult | null>(null);

  const save = useSubmit(async () => {
    setNotice(null);
    setTest(null);
    const saved = await pacsApi.saveConfig(facilityId, {
      baseUrl: f.baseUrl.trim(),
      label: f.label.trim() || undefined,
      authKind: f.authKind,
      username: f.authKind === 'basic' ? f.username.trim() || undefined : undefined,
      password: f.authKind === 'basic' ? f.password || undefined : undefined,
      token: f.authKind === 'bearer' ? f.token.trim() || undefined : undefined,
    });
    settle(saved, t('pacs.saved'));
  });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  async function run(action: () => Promise<void>) {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  }
  const kept = (has: boolean | undefined) => (has ? t('pacs.secretKept') : undefined);

  return (
    <form className="card" onSubmit={save.onSubmit} aria-labelledby="pacs-settings" noValidate>
      <h2 id="pacs-settings">{t('pacs.settingsTitle')}</h2>
      <p className="muted small">{t('pacs.settingsHint')}</p>
      {!stored.loading && !current ? <p>{t('pacs.notConfigured')}</p> : null}
      <ErrorMessage error={stored.error} />
      <TextField
        label={t('pacs.baseUrl')}
        field="baseUrl"
        error={save.error}
        required
        value={f.baseUrl}
        onChange={(baseUrl) => edit({ baseUrl })}
      />
      <TextField
        label={t('pacs.label')}
        field="label"
        error={save.error}
        value={f.label}
        onChange={(label) => edit({ label })}
      />
      <Field label={t('pacs.authKind')} field="authKind" error={save.error}>
        <select
          value={f.authKind}
          onChange={(e) => edit({ authKind: e.target.value as PacsAuthKind })}
        >
          {PACS_AUTH_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`pacs.auth.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      {f.authKind === 'basic' ? (
        <>
          <TextField
            label={t('pacs.username')}
            field="username"
            error={save.error}
            required
            value={f.username}
            onChange={(username) => edit({ username })}
          />
          <label>
            {t('pacs.password')}
            <input
              type="password"
              autoComplete="new-password"
              value={f.password}
              placeholder={kept(current?.hasPassword)}
              onChange={(e) => edit({ password: e.target.value })}
            />
          </label>
        </>
      ) : null}
      {f.authKind === 'bearer' ? (
        <label>
          {t('pacs.token')}
          <input
            type="password"
            autoComplete="off"
            value={f.token}
            placeholder={kept(current?.hasToken)}
            onChange={(e) => edit({ token: e.target.value })}
          />
        </label>
      ) : null}
      <ErrorMessage error={save.error ?? actionError} fieldsShown={['baseUrl', 'username']} />
      <SettingNotice notice={notice} />
      {test ? (
        <p role="status" className={test.ok ? 'success' : 'error'}>
          {test.ok
            ? t('pacs.testOk')
            : `${t('pacs.testFailed')} ${test.code ? t(`errors.code.${test.code}`) : test.message}`}
        </p>
      ) : null}
      <div className="row wrap">
        <button type="submit" className="primary" disabled={save.busy || busy}>
          {t('pacs.save')}
        </button>
        {current ? (
          <>
            <button
              type="button"
              disabled={busy}
              onClick={() => void run(async () => setTest(await pacsApi.test(facilityId)))}
            >
              {t('pacs.test')}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await pacsApi.removeConfig(facilityId);
                  setTest(null);
                  settle(null, t('pacs.removed'));
                })
              }
            >
              {t('pacs.remove')}
            </button>
          </>
        ) : null}
      </div>
    </form>
  );
}
