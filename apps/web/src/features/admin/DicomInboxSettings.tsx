import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DicomInboxSettings as Settings } from '@caunoi/shared';
import { pacsApi } from '../../api/pacs';
import { ErrorMessage } from '../../app/ui';
import { SettingNotice, useFacilitySetting } from './facilitySetting';
import { TextField } from './fields';
import { useSubmit } from './listEdit';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim().toUpperCase())
    .filter(Boolean);

/** The facility's DICOM inbox: the AE title senders address, who may send, the server's port. */
export function DicomInboxSettings({ facilityId }: { facilityId: string }) {
  const { t } = useTranslation();
  const {
    stored,
    current,
    form: f,
    edit,
    notice,
    setNotice,
    settle,
  } = useFacilitySetting(facilityId, pacsApi.inboxSettings, (c: Settings | null) => ({
    aeTitle: c?.aeTitle ?? '',
    callers: c?.callingAeTitles.join(', ') ?? '',
  }));
  const save = useSubmit(async () => {
    setNotice(null);
    settle(
      await pacsApi.saveInboxSettings(facilityId, {
        aeTitle: f.aeTitle.trim().toUpperCase(),
        callingAeTitles: list(f.callers),
      }),
      t('pacs.inbox.saved'),
    );
  });
  const [removeError, setRemoveError] = useState<unknown>(null);

  return (
    <form className="card" onSubmit={save.onSubmit} aria-labelledby="inbox-settings" noValidate>
      <h2 id="inbox-settings">{t('pacs.inbox.settingsTitle')}</h2>
      <p className="muted small">{t('pacs.inbox.settingsHint')}</p>
      {!stored.loading && !current ? <p>{t('pacs.inbox.none')}</p> : null}
      {current ? (
        <p className="small">
          {current.port ? t('pacs.inbox.port', { port: current.port }) : t('pacs.inbox.portOff')}
        </p>
      ) : null}
      <TextField
        label={t('pacs.inbox.aeTitle')}
        field="aeTitle"
        error={save.error}
        required
        value={f.aeTitle}
        onChange={(aeTitle) => edit({ aeTitle })}
      />
      <TextField
        label={t('pacs.inbox.callers')}
        field="callingAeTitles"
        error={save.error}
        value={f.callers}
        onChange={(callers) => edit({ callers })}
      />
      <ErrorMessage
        error={save.error ?? removeError ?? stored.error}
        fieldsShown={['aeTitle', 'callingAeTitles']}
      />
      <SettingNotice notice={notice} />
      <div className="row wrap">
        <button type="submit" className="primary" disabled={save.busy}>
          {t('pacs.inbox.save')}
        </button>
        {current ? (
          <button
            type="button"
            onClick={() => {
              setRemoveError(null);
              pacsApi
                .removeInboxSettings(facilityId)
                .then(() => settle(null, t('pacs.inbox.removed')), setRemoveError);
            }}
          >
            {t('pacs.inbox.remove')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
