import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { Page, useLoad } from '../../app/ui';
import { AuditTab } from './AuditTab';
import { FacilitiesTab } from './FacilitiesTab';
import { Icd10Tab } from './Icd10Tab';
import { LinksTab } from './LinksTab';
import { UsersTab } from './UsersTab';

type Tab = 'facilities' | 'users' | 'links' | 'audit' | 'icd10';

/** Administration: facilities, users, support links and the audit log. */
export default function AdminPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('facilities');
  const facilities = useLoad(() => api.facilities(), []);
  return (
    <Page title={t('admin.title')}>
      <div role="tablist" aria-label={t('admin.sections')} className="tabs">
        {(['facilities', 'users', 'links', 'audit', 'icd10'] as Tab[]).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            onClick={() => setTab(k)}
          >
            {t(`admin.tab.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={t(`admin.tab.${tab}`)}>
        {tab === 'facilities' ? (
          <FacilitiesTab
            facilities={facilities.data ?? []}
            loading={facilities.loading}
            error={facilities.error}
            reload={facilities.reload}
          />
        ) : null}
        {tab === 'users' ? <UsersTab facilities={facilities.data ?? []} /> : null}
        {tab === 'links' ? <LinksTab facilities={facilities.data ?? []} /> : null}
        {tab === 'audit' ? <AuditTab /> : null}
        {tab === 'icd10' ? <Icd10Tab /> : null}
      </div>
    </Page>
  );
}
