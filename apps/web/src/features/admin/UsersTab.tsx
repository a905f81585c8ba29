import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { Facility, UserAccount } from '@caunoi/shared';
import { ErrorMessage, useLoad } from '../../app/ui';
import { ListEditLayout, useListEdit } from './listEdit';
import { EditUserForm, NewUserForm } from './UserForms';

/** Users: the list (with activate/deactivate), a user picked for editing, or a new one. */
export function UsersTab({ facilities }: { facilities: Facility[] }) {
  const { t } = useTranslation();
  const users = useLoad(() => api.users({ limit: 500 }), []);
  const flow = useListEdit<UserAccount>(users.reload);
  const facilityName = (id: string | null) => facilities.find((f) => f.id === id)?.name ?? '—';
  const list = (
    <>
      <ErrorMessage error={users.error} />
      <ErrorMessage error={flow.error} />
      <table aria-label={t('admin.tab.users')}>
        <thead>
          <tr>
            <th scope="col">{t('admin.fullName')}</th>
            <th scope="col">{t('login.email')}</th>
            <th scope="col">{t('admin.roles')}</th>
            <th scope="col">{t('admin.facility')}</th>
            <th scope="col">{t('admin.status')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id} aria-selected={flow.editing?.id === u.id}>
              <td>{u.fullName}</td>
              <td>{u.email}</td>
              <td>{u.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
              <td>{facilityName(u.facilityId)}</td>
              <td>
                {u.active === false ? t('admin.inactive') : t('admin.active')}{' '}
                <button
                  type="button"
                  onClick={() =>
                    void flow.run(() => api.updateUser(u.id, { active: u.active === false }))
                  }
                  aria-label={t(
                    u.active === false ? 'admin.activateNamed' : 'admin.deactivateNamed',
                    { name: u.fullName },
                  )}
                >
                  {u.active === false ? t('admin.activate') : t('admin.deactivate')}
                </button>
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => flow.edit(u)}
                  aria-label={t('admin.editUserNamed', { name: u.fullName })}
                >
                  {t('common.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
  return (
    <ListEditLayout
      list={list}
      saved={flow.saved}
      editor={
        flow.editing ? (
          <EditUserForm
            key={flow.editing.id}
            user={flow.editing}
            facilities={facilities}
            onCancel={flow.close}
            onSaved={flow.done}
          />
        ) : null
      }
      creator={<NewUserForm facilities={facilities} onSaved={flow.done} />}
    />
  );
}
