import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CONSULTATION_STATUSES } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { ErrorMessage, Loading, Page, StatusBadge, UrgencyBadge, useLoad } from '../../app/ui';
import { formatDateTime } from '../../i18n/format';
import { specialtyLabel } from '../../shared/specialties';

/** The requester's own requests, with their state; details and history one click away. */
export function MyRequestsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState('');
  const list = useLoad(
    () => api.consultations({ role: 'requester', status: status || undefined }),
    [status],
  );
  return (
    <Page
      title={t('consultations.mineTitle')}
      actions={
        <Link className="button primary" to="/consultations/new">
          {t('nav.newConsultation')}
        </Link>
      }
    >
      <label className="inline-label">
        {t('consultations.filterStatus')}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">{t('common.all')}</option>
          {CONSULTATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorMessage error={list.error} />
      <table aria-label={t('consultations.mineTitle')}>
        <thead>
          <tr>
            <th scope="col">{t('consultations.patient')}</th>
            <th scope="col">{t('consultations.specialty')}</th>
            <th scope="col">{t('consultations.urgency')}</th>
            <th scope="col">{t('consultations.targetFacility')}</th>
            <th scope="col">{t('consultations.status')}</th>
            <th scope="col">{t('consultations.createdAt')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((c) => (
            <tr key={c.id}>
              <td>{c.patient?.fullName ?? '—'}</td>
              <td>{specialtyLabel(t, c.specialty)}</td>
              <td>
                <UrgencyBadge urgency={c.urgency} />
              </td>
              <td>{c.targetFacility?.name ?? '—'}</td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td>{formatDateTime(c.createdAt, i18n.language)}</td>
              <td>
                <Link
                  to={`/consultations/${c.id}`}
                  aria-label={t('consultations.openNamed', { name: c.patient?.fullName ?? c.id })}
                >
                  {t('common.open')}
                </Link>
              </td>
            </tr>
          ))}
          {list.data && list.data.length === 0 ? (
            <tr>
              <td colSpan={7}>{t('consultations.none')}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Page>
  );
}
