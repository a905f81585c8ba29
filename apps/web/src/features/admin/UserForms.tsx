import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import type { Facility, UserAccount } from '@caunoi/shared';
import { fieldErrorKey } from '../../app/errors';
import { ErrorMessage, FieldError } from '../../app/ui';
import { userForm, userPatch, type UserForm } from './adminForms';
import { FacilitySelect, Field, SpecialtySelect, TextField } from './fields';
import { EditActions, useSubmit } from './listEdit';

const USER_FIELDS = [
  'fullName',
  'email',
  'password',
  'roles',
  'facilityId',
  'specialty',
  'licenseNumber',
  'active',
];

const EMPTY = {
  email: '',
  fullName: '',
  password: '',
  facilityId: '',
  role: 'requester' as Role,
  specialty: '',
  licenseNumber: '',
};

type Placement = Pick<UserForm, 'facilityId' | 'specialty' | 'licenseNumber'>;

export function NewUserForm({
  facilities,
  onSaved,
}: {
  facilities: Facility[];
  onSaved: (name: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState(EMPTY);
  const { error, onSubmit } = useSubmit(async () => {
    const u = await api.createUser({
      email: form.email,
      fullName: form.fullName,
      password: form.password,
      roles: [form.role],
      facilityId: form.facilityId || null,
      specialty: form.specialty || null,
      licenseNumber: form.licenseNumber || null,
    });
    setForm(EMPTY);
    await onSaved(u?.fullName ?? form.fullName);
  });
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="new-user" noValidate>
      <h2 id="new-user">{t('admin.newUser')}</h2>
      <TextField
        label={t('admin.fullName')}
        field="fullName"
        error={error}
        required
        value={form.fullName}
        onChange={(fullName) => setForm({ ...form, fullName })}
      />
      <TextField
        label={t('login.email')}
        field="email"
        type="email"
        error={error}
        required
        value={form.email}
        onChange={(email) => setForm({ ...form, email })}
      />
      <TextField
        label={t('login.password')}
        field="password"
        type="password"
        error={error}
        required
        minLength={10}
        value={form.password}
        onChange={(password) => setForm({ ...form, password })}
      />
      <Field label={t('admin.role')} field="roles" error={error}>
        <select
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <PlacementFields
        form={form}
        setForm={(p) => setForm({ ...form, ...p })}
        facilities={facilities}
        error={error}
      />
      <ErrorMessage error={error} fieldsShown={USER_FIELDS} />
      <button type="submit" className="primary">
        {t('admin.create')}
      </button>
    </form>
  );
}

export function EditUserForm({
  user,
  facilities,
  onCancel,
  onSaved,
}: {
  user: UserAccount;
  facilities: Facility[];
  onCancel: () => void;
  onSaved: (name: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<UserForm>(() => userForm(user));
  const { error, busy, onSubmit } = useSubmit(async () => {
    const patch = userPatch(user, form);
    if (!patch) return onCancel();
    await api.updateUser(user.id, patch);
    await onSaved(form.fullName.trim() || user.fullName);
  });
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="edit-user" noValidate>
      <h2 id="edit-user">{t('admin.editUser', { email: user.email })}</h2>
      <TextField
        label={t('admin.fullName')}
        field="fullName"
        error={error}
        required
        value={form.fullName}
        onChange={(fullName) => setForm({ ...form, fullName })}
      />
      <fieldset className="inline" aria-invalid={!!fieldErrorKey(error, 'roles')}>
        <legend>{t('admin.roles')}</legend>
        {ROLES.map((r) => (
          <label key={r} className="radio">
            <input
              type="checkbox"
              checked={form.roles.includes(r)}
              onChange={(e) =>
                setForm({
                  ...form,
                  roles: e.target.checked ? [...form.roles, r] : form.roles.filter((x) => x !== r),
                })
              }
            />
            {t(`role.${r}`)}
          </label>
        ))}
        <FieldError error={error} field="roles" />
      </fieldset>
      <PlacementFields
        form={form}
        setForm={(p) => setForm({ ...form, ...p })}
        facilities={facilities}
        error={error}
      />
      <label className="radio">
        <input
          type="checkbox"
          checked={form.active}
          onChange={(e) => setForm({ ...form, active: e.target.checked })}
        />
        {t('admin.accountActive')}
      </label>
      <ErrorMessage error={error} fieldsShown={USER_FIELDS} />
      <EditActions busy={busy} onCancel={onCancel} />
    </form>
  );
}

/** Facility, specialty and licence: where a person works, shared by the new and edit forms. */
function PlacementFields({
  form,
  setForm,
  facilities,
  error,
}: {
  form: Placement;
  setForm: (p: Partial<Placement>) => void;
  facilities: Facility[];
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('admin.facility')} field="facilityId" error={error}>
        <FacilitySelect
          facilities={facilities}
          value={form.facilityId}
          onChange={(facilityId) => setForm({ facilityId })}
          invalid={!!fieldErrorKey(error, 'facilityId')}
        />
      </Field>
      <Field label={t('consultations.specialty')} field="specialty" error={error}>
        <SpecialtySelect value={form.specialty} onChange={(specialty) => setForm({ specialty })} />
      </Field>
      <TextField
        label={t('admin.licenseNumber')}
        field="licenseNumber"
        error={error}
        value={form.licenseNumber}
        onChange={(licenseNumber) => setForm({ licenseNumber })}
      />
    </>
  );
}
