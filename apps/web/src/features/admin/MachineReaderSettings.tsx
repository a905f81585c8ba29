import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_READER_BODY_PARTS,
  DEFAULT_READER_MODALITIES,
  type MachineReader,
} from '@caunoi/shared';
import { machineReadersApi } from '../../api/machine-readers';
import { ErrorMessage } from '../../app/ui';
import { SettingNotice, useFacilitySetting } from './facilitySetting';
import { TextField } from './fields';
import { useSubmit } from './listEdit';

interface Form {
  url: string;
  token: string;
  modalities: string;
  bodyParts: string;
}

const formOf = (r: MachineReader | null): Form => ({
  url: r?.url ?? '',
  token: '',
  modalities: (r?.modalities ?? DEFAULT_READER_MODALITIES).join(', '),
  bodyParts: (r?.bodyParts ?? DEFAULT_READER_BODY_PARTS).join(', '),
});

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * The facility's machine reader (AI pre-read) under its edit form: address, token, what it reads.
 * The stored token is never shown; an empty field keeps it. What leaves the hospital is in
 * docs/deployment.md.
 */
export function MachineReaderSettings({ facilityId }: { facilityId: string }) {
  const { t } = useTranslation();
  const {
    stored,
    current,
    form: f,
    edit,
    notice,
    setNotice,
    settle,
  } = useFacilitySetting(facilityId, machineReadersApi.get, formOf);

  const save = useSubmit(async () => {
    setNotice(null);
    const saved = await machineReadersApi.save(facilityId, {
      url: f.url.trim(),
      ...(f.token.trim() ? { token: f.token.trim() } : {}),
      modalities: list(f.modalities),
      bodyParts: list(f.bodyParts),
    });
    settle(saved, t('machineReader.saved'));
  });
  const [removeError, setRemoveError] = useState<unknown>(null);

  return (
    <form
      className="card"
      onSubmit={save.onSubmit}
      aria-labelledby={`machine-reader-${facilityId}`}
      noValidate
    >
      <h2 id={`machine-reader-${facilityId}`}>{t('machineReader.title')}</h2>
      <p className="muted small">{t('machineReader.hint')}</p>
      {!stored.loading && !current ? <p>{t('machineReader.none')}</p> : null}
      <ErrorMessage error={stored.error} />
      <TextField
        label={t('machineReader.url')}
        field="url"
        error={save.error}
        required
        value={f.url}
        onChange={(url) => edit({ url })}
      />
      <label>
        {t('machineReader.token')}
        <input
          type="password"
          autoComplete="off"
          value={f.token}
          placeholder={current?.hasToken ? t('machineReader.tokenKept') : undefined}
          onChange={(e) => edit({ token: e.target.value })}
        />
      </label>
      <TextField
        label={t('machineReader.modalities')}
        field="modalities"
        error={save.error}
        value={f.modalities}
        onChange={(modalities) => edit({ modalities })}
      />
      <TextField
        label={t('machineReader.bodyParts')}
        field="bodyParts"
        error={save.error}
        value={f.bodyParts}
        onChange={(bodyParts) => edit({ bodyParts })}
      />
      <ErrorMessage
        error={save.error ?? removeError}
        fieldsShown={['url', 'modalities', 'bodyParts']}
      />
      <SettingNotice notice={notice} />
      <div className="row wrap">
        <button type="submit" className="primary" disabled={save.busy}>
          {t('machineReader.save')}
        </button>
        {current ? (
          <button
            type="button"
            onClick={() => {
              setRemoveError(null);
              machineReadersApi
                .remove(facilityId)
                .then(() => settle(null, t('machineReader.removed')))
                .catch(setRemoveError);
            }}
          >
            {t('machineReader.remove')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
