import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SUPPORT_KINDS, type Facility, type SupportKind } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { ErrorMessage, FieldError, useLoad } from '../../app/ui';
import { FacilitySelect } from './fields';
import { useListEdit, useSubmit } from './listEdit';

/** Support links of one supporting facility: listed, removed one by one, added downwards. */
export function LinksTab({ facilities }: { facilities: Facility[] }) {
  const { t } = useTranslation();
  const [supporter, setSupporter] = useState('');
  const detail = useLoad(async () => (supporter ? api.facility(supporter) : null), [supporter]);
  const flow = useListEdit<never>(detail.reload);
  const [supported, setSupported] = useState('');
  const [kind, setKind] = useState<SupportKind>('mentoring');
  const add = useSubmit(async () => {
    await api.addSupportLink({ supporterId: supporter, supportedId: supported, kind });
    setSupported('');
    await detail.reload();
  });
  const links = detail.data?.supports ?? [];
  const error = add.error ?? flow.error;
  return (
    <form className="card" onSubmit={add.onSubmit} aria-labelledby="links-title">
      <h2 id="links-title">{t('admin.tab.links')}</h2>
      <label>
        {t('admin.supporter')}
        <FacilitySelect facilities={facilities} value={supporter} onChange={setSupporter} />
      </label>
      {detail.data ? (
        <ul aria-label={t('admin.currentLinks')}>
          {links.map((l) => (
            <li key={l.linkId}>
              → {l.facility.name} ({t(`supportKind.${l.kind}`)}){' '}
              <button
                type="button"
                className="link"
                aria-label={t('admin.removeLinkNamed', { name: l.facility.name })}
                onClick={() => {
                  if (window.confirm(t('admin.removeLinkConfirm')))
                    void flow.run(() => api.removeSupportLink(l.linkId));
                }}
              >
                {t('common.remove')}
              </button>
            </li>
          ))}
          {links.length === 0 ? <li>{t('admin.noLinks')}</li> : null}
        </ul>
      ) : null}
      <label>
        {t('admin.supported')}
        <FacilitySelect
          facilities={facilities}
          value={supported}
          onChange={setSupported}
          exclude={supporter}
        />
      </label>
      <label>
        {t('admin.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as SupportKind)}>
          {SUPPORT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`supportKind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <FieldError error={error} field="supportedId" />
      <ErrorMessage error={error} fieldsShown={['supportedId']} />
      <button type="submit" className="primary" disabled={!supporter || !supported}>
        {t('admin.addLink')}
      </button>
    </form>
  );
}
