import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { ErrorMessage, Loading, useLoad } from '../../app/ui';
import { formatDateTime, vnLocalToIso } from '../../i18n/format';
import { AuditFilters, EMPTY_AUDIT_FILTERS, type AuditFilterValues } from './AuditFilters';

/** The audit log, filtered by patient, person, action and time. */
export function AuditTab() {
  const { t, i18n } = useTranslation();
  const [applied, setApplied] = useState<AuditFilterValues>(EMPTY_AUDIT_FILTERS);
  const events = useLoad(
    () =>
      api.audit({
        patientId: applied.patientId || undefined,
        actorId: applied.actorId || undefined,
        action: applied.action || undefined,
        from: applied.from ? vnLocalToIso(applied.from) : undefined,
        to: applied.to ? vnLocalToIso(applied.to) : undefined,
        limit: 200,
      }),
    [applied],
  );
  return (
    <div>
      <AuditFilters onApply={setApplied} />
      {events.loading && !events.data ? <Loading /> : null}
      <ErrorMessage error={events.error} />
      <table aria-label={t('admin.tab.audit')}>
        <thead>
          <tr>
            <th scope="col">{t('admin.audit.at')}</th>
            <th scope="col">{t('admin.audit.actor')}</th>
            <th scope="col">{t('admin.audit.action')}</th>
            <th scope="col">{t('admin.audit.target')}</th>
            <th scope="col">{t('admin.audit.address')}</th>
          </tr>
        </thead>
        <tbody>
          {(events.data ?? []).map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at, i18n.language)}</td>
              <td>{e.actor?.fullName ?? e.actorId ?? '—'}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{[e.targetType, e.targetId].filter(Boolean).join(' ') || '—'}</td>
              <td>{e.address ?? '—'}</td>
            </tr>
          ))}
          {events.data && events.data.length === 0 ? (
            <tr>
              <td colSpan={5}>{t('admin.audit.none')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
