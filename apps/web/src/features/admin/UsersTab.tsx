import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { Facility, UserAccount } from '@caunoi/shared';
import { ErrorMessage, useLoad } from '../../app/ui';
import { ListEdit, useListEdit } from './listEdit';
import { EditUserForm, NewUserForm } from './UserForms';

/** Users: the list (with activate/deactivate), a user picked for editing, or a new one. */
export function UsersTab({ facilities }: { facilities: Facility[] }) {
  const { t } = useTranslation();
  const users = useLoad(() => api.users({ limit: 500 }), []);
  const flow = useListEdit<UserAccount>(users.reload);
  const facilityName = (id: string | null) => facilities.find((f) => f.id === id)?.name ?? '—';
  return (
    <ListEdit
      label={t('admin.tab.users')}
      flow={flow}
      items={users.data ?? []}
      columns={[
        t('admin.fullName'),
        t('login.email'),
        t('admin.roles'),
        t('admin.facility'),
        t('admin.status'),
      ]}
      cells={(u) => [
        u.fullName,
        u.email,
        u.roles.map((r) => t(`role.${r}`)).join(', '),
        facilityName(u.facilityId),
        <>
          {u.active === false ? t('admin.inactive') : t('admin.active')}{' '}
          <button
            type="button"
            onClick={() =>
              void flow.run(() => api.updateUser(u.id, { active: u.active === false }))
            }
            aria-label={t(u.active === false ? 'admin.activateNamed' : 'admin.deactivateNamed', {
              name: u.fullName,
            })}
          >
            {u.active === false ? t('admin.activate') : t('admin.deactivate')}
          </button>
        </>,
      ]}
      editLabel={(u) => t('admin.editUserNamed', { name: u.fullName })}
      notices={
        <>
          <ErrorMessage error={users.error} />
          <ErrorMessage error={flow.error} />
        </>
      }
      editor={(u) => (
        <EditUserForm
          key={u.id}
          user={u}
          facilities={facilities}
          onCancel={flow.close}
          onSaved={flow.done}
        />
      )}
      creator={<NewUserForm facilities={facilities} onSaved={flow.done} />}
    />
  );
}
