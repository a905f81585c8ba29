import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FACILITY_LEVELS, ROLES, SUPPORT_KINDS, type Role } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import type { Facility, SupportKind, UserAccount } from '@caunoi/shared';
import { fieldErrorKey } from '../../app/errors';
import { ErrorMessage, FieldError, Loading, Page, useLoad } from '../../app/ui';
import { SPECIALTIES, specialtyLabel } from '../consultations/specialties';
import { facilityPatch, userForm, userPatch, type FacilityForm, type UserForm } from './adminForms';
import { AuditFilters, EMPTY_AUDIT_FILTERS, type AuditFilterValues } from './AuditFilters';
import { formatDateTime, vnLocalToIso } from '../../i18n/format';

type Tab = 'facilities' | 'users' | 'links' | 'audit';

/** Administration: facilities, users, support links and the audit log. */
export default function AdminPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('facilities');
  const facilities = useLoad(() => api.facilities(), []);
  return (
    <Page title={t('admin.title')}>
      <div role="tablist" aria-label={t('admin.sections')} className="tabs">
        {(['facilities', 'users', 'links', 'audit'] as Tab[]).map((k) => (
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
      </div>
    </Page>
  );
}

function FacilitiesTab({
  facilities,
  loading,
  error,
  reload,
}: {
  facilities: Facility[];
  loading: boolean;
  error: unknown;
  reload: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ code: '', name: '', province: '', level: 'district' });
  const [err, setErr] = useState<unknown>(null);
  const [editing, setEditing] = useState<Facility | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    try {
      await api.createFacility({
        ...form,
        code: form.code.trim().toUpperCase(),
        level: form.level as Facility['level'],
      });
      setForm({ code: '', name: '', province: '', level: 'district' });
      await reload();
    } catch (x) {
      setErr(x);
    }
  }
  return (
    <div className="two-col">
      <div>
        {loading ? <Loading /> : null}
        <ErrorMessage error={error} />
        <table aria-label={t('admin.tab.facilities')}>
          <thead>
            <tr>
              <th scope="col">{t('admin.code')}</th>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.province')}</th>
              <th scope="col">{t('admin.level')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {facilities.map((f) => (
              <tr key={f.id} aria-selected={editing?.id === f.id}>
                <td>{f.code}</td>
                <td>{f.name}</td>
                <td>{f.province ?? '—'}</td>
                <td>{t(`level.${f.level}`)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => {
                      setSaved(null);
                      setEditing(f);
                    }}
                    aria-label={t('admin.editFacilityNamed', { name: f.name })}
                  >
                    {t('common.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        {saved ? (
          <p role="status" className="success">
            {t('admin.saved', { name: saved })}
          </p>
        ) : null}
        {editing ? (
          <EditFacilityForm
            key={editing.id}
            facility={editing}
            onCancel={() => setEditing(null)}
            onSaved={async (f) => {
              setEditing(null);
              setSaved(f.name);
              await reload();
            }}
          />
        ) : (
          <form className="card" onSubmit={submit} aria-labelledby="new-fac" noValidate>
            <h2 id="new-fac">{t('admin.newFacility')}</h2>
            <label>
              {t('admin.code')}
              <input
                required
                value={form.code}
                onChange={(e) => setForm({ ...form, code: e.target.value })}
                aria-invalid={!!fieldErrorKey(err, 'code')}
              />
              <FieldError error={err} field="code" />
            </label>
            <label>
              {t('admin.name')}
              <input
                required
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                aria-invalid={!!fieldErrorKey(err, 'name')}
              />
              <FieldError error={err} field="name" />
            </label>
            <label>
              {t('admin.province')}
              <input
                value={form.province}
                onChange={(e) => setForm({ ...form, province: e.target.value })}
                aria-invalid={!!fieldErrorKey(err, 'province')}
              />
              <FieldError error={err} field="province" />
            </label>
            <label>
              {t('admin.level')}
              <select
                value={form.level}
                onChange={(e) => setForm({ ...form, level: e.target.value })}
              >
                {FACILITY_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`level.${l}`)}
                  </option>
                ))}
              </select>
            </label>
            <ErrorMessage error={err} fieldsShown={['code', 'name', 'province', 'level']} />
            <button type="submit" className="primary">
              {t('admin.create')}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}

function EditFacilityForm({
  facility,
  onCancel,
  onSaved,
}: {
  facility: Facility;
  onCancel: () => void;
  onSaved: (f: Facility) => void | Promise<void>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<FacilityForm>({
    name: facility.name,
    province: facility.province ?? '',
    level: facility.level,
  });
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const patch = facilityPatch(facility, form);
    if (!patch) return onCancel();
    setErr(null);
    setBusy(true);
    try {
      const f = await api.updateFacility(facility.id, patch);
      await onSaved({ ...facility, ...patch, ...(f ?? {}) });
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="edit-fac" noValidate>
      <h2 id="edit-fac">{t('admin.editFacility', { code: facility.code })}</h2>
      <label>
        {t('admin.name')}
        <input
          required
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          aria-invalid={!!fieldErrorKey(err, 'name')}
        />
        <FieldError error={err} field="name" />
      </label>
      <label>
        {t('admin.province')}
        <input
          value={form.province}
          onChange={(e) => setForm({ ...form, province: e.target.value })}
          aria-invalid={!!fieldErrorKey(err, 'province')}
        />
        <FieldError error={err} field="province" />
      </label>
      <label>
        {t('admin.level')}
        <select
          value={form.level}
          onChange={(e) => setForm({ ...form, level: e.target.value as Facility['level'] })}
        >
          {FACILITY_LEVELS.map((l) => (
            <option key={l} value={l}>
              {t(`level.${l}`)}
            </option>
          ))}
        </select>
        <FieldError error={err} field="level" />
      </label>
      <ErrorMessage error={err} fieldsShown={['name', 'province', 'level']} />
      <div className="row">
        <button type="button" onClick={onCancel}>
          {t('common.back')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function UsersTab({ facilities }: { facilities: Facility[] }) {
  const { t } = useTranslation();
  const users = useLoad(() => api.users({ limit: 500 }), []);
  const [form, setForm] = useState({
    email: '',
    fullName: '',
    password: '',
    facilityId: '',
    role: 'requester' as Role,
    specialty: '',
    licenseNumber: '',
  });
  const [err, setErr] = useState<unknown>(null);
  const [listErr, setListErr] = useState<unknown>(null);
  const [editing, setEditing] = useState<UserAccount | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    setSaved(null);
    try {
      const u = await api.createUser({
        email: form.email,
        fullName: form.fullName,
        password: form.password,
        roles: [form.role],
        facilityId: form.facilityId || null,
        specialty: form.specialty || null,
        licenseNumber: form.licenseNumber || null,
      });
      setSaved(u?.fullName ?? form.fullName);
      setForm({
        email: '',
        fullName: '',
        password: '',
        facilityId: '',
        role: 'requester',
        specialty: '',
        licenseNumber: '',
      });
      await users.reload();
    } catch (x) {
      setErr(x);
    }
  }
  const facilityName = (id: string | null) => facilities.find((f) => f.id === id)?.name ?? '—';
  const invalid = (f: string) => !!fieldErrorKey(err, f);
  return (
    <div className="two-col">
      <div>
        <ErrorMessage error={users.error} />
        <ErrorMessage error={listErr} />
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
              <tr key={u.id} aria-selected={editing?.id === u.id}>
                <td>{u.fullName}</td>
                <td>{u.email}</td>
                <td>{u.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
                <td>{facilityName(u.facilityId)}</td>
                <td>
                  {u.active === false ? t('admin.inactive') : t('admin.active')}{' '}
                  <button
                    type="button"
                    onClick={async () => {
                      setListErr(null);
                      try {
                        await api.updateUser(u.id, { active: u.active === false });
                        await users.reload();
                      } catch (x) {
                        setListErr(x);
                      }
                    }}
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
                    onClick={() => {
                      setSaved(null);
                      setEditing(u);
                    }}
                    aria-label={t('admin.editUserNamed', { name: u.fullName })}
                  >
                    {t('common.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        {saved ? (
          <p role="status" className="success">
            {t('admin.saved', { name: saved })}
          </p>
        ) : null}
        {editing ? (
          <EditUserForm
            key={editing.id}
            user={editing}
            facilities={facilities}
            onCancel={() => setEditing(null)}
            onSaved={async (name) => {
              setEditing(null);
              setSaved(name);
              await users.reload();
            }}
          />
        ) : (
          <form className="card" onSubmit={submit} aria-labelledby="new-user" noValidate>
            <h2 id="new-user">{t('admin.newUser')}</h2>
            <label>
              {t('admin.fullName')}
              <input
                required
                value={form.fullName}
                onChange={(e) => setForm({ ...form, fullName: e.target.value })}
                aria-invalid={invalid('fullName')}
              />
              <FieldError error={err} field="fullName" />
            </label>
            <label>
              {t('login.email')}
              <input
                type="email"
                required
                value={form.email}
                onChange={(e) => setForm({ ...form, email: e.target.value })}
                aria-invalid={invalid('email')}
              />
              <FieldError error={err} field="email" />
            </label>
            <label>
              {t('login.password')}
              <input
                type="password"
                required
                minLength={10}
                value={form.password}
                onChange={(e) => setForm({ ...form, password: e.target.value })}
                aria-invalid={invalid('password')}
              />
              <FieldError error={err} field="password" />
            </label>
            <label>
              {t('admin.role')}
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
              <FieldError error={err} field="roles" />
            </label>
            <label>
              {t('admin.facility')}
              <FacilitySelect
                facilities={facilities}
                value={form.facilityId}
                onChange={(v) => setForm({ ...form, facilityId: v })}
                invalid={invalid('facilityId')}
              />
              <FieldError error={err} field="facilityId" />
            </label>
            <label>
              {t('consultations.specialty')}
              <SpecialtySelect
                value={form.specialty}
                onChange={(v) => setForm({ ...form, specialty: v })}
              />
              <FieldError error={err} field="specialty" />
            </label>
            <label>
              {t('admin.licenseNumber')}
              <input
                value={form.licenseNumber}
                onChange={(e) => setForm({ ...form, licenseNumber: e.target.value })}
                aria-invalid={invalid('licenseNumber')}
              />
              <FieldError error={err} field="licenseNumber" />
            </label>
            <ErrorMessage error={err} fieldsShown={USER_FIELDS} />
            <button type="submit" className="primary">
              {t('admin.create')}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}

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

function FacilitySelect({
  facilities,
  value,
  onChange,
  invalid,
}: {
  facilities: Facility[];
  value: string;
  onChange: (v: string) => void;
  invalid?: boolean;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid}>
      <option value="">—</option>
      {facilities.map((f) => (
        <option key={f.id} value={f.id}>
          {f.name}
        </option>
      ))}
    </select>
  );
}

function SpecialtySelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const known = SPECIALTIES.includes(value) || !value;
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">—</option>
      {!known ? <option value={value}>{value}</option> : null}
      {SPECIALTIES.map((s) => (
        <option key={s} value={s}>
          {specialtyLabel(t, s)}
        </option>
      ))}
    </select>
  );
}

function EditUserForm({
  user,
  facilities,
  onCancel,
  onSaved,
}: {
  user: UserAccount;
  facilities: Facility[];
  onCancel: () => void;
  onSaved: (name: string) => void | Promise<void>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<UserForm>(() => userForm(user));
  const [err, setErr] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const invalid = (f: string) => !!fieldErrorKey(err, f);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const patch = userPatch(user, form);
    if (!patch) return onCancel();
    setErr(null);
    setBusy(true);
    try {
      await api.updateUser(user.id, patch);
      await onSaved(form.fullName.trim() || user.fullName);
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="edit-user" noValidate>
      <h2 id="edit-user">{t('admin.editUser', { email: user.email })}</h2>
      <label>
        {t('admin.fullName')}
        <input
          required
          value={form.fullName}
          onChange={(e) => setForm({ ...form, fullName: e.target.value })}
          aria-invalid={invalid('fullName')}
        />
        <FieldError error={err} field="fullName" />
      </label>
      <fieldset className="inline" aria-invalid={invalid('roles')}>
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
        <FieldError error={err} field="roles" />
      </fieldset>
      <label>
        {t('admin.facility')}
        <FacilitySelect
          facilities={facilities}
          value={form.facilityId}
          onChange={(v) => setForm({ ...form, facilityId: v })}
          invalid={invalid('facilityId')}
        />
        <FieldError error={err} field="facilityId" />
      </label>
      <label>
        {t('consultations.specialty')}
        <SpecialtySelect
          value={form.specialty}
          onChange={(v) => setForm({ ...form, specialty: v })}
        />
        <FieldError error={err} field="specialty" />
      </label>
      <label>
        {t('admin.licenseNumber')}
        <input
          value={form.licenseNumber}
          onChange={(e) => setForm({ ...form, licenseNumber: e.target.value })}
          aria-invalid={invalid('licenseNumber')}
        />
        <FieldError error={err} field="licenseNumber" />
      </label>
      <label className="radio">
        <input
          type="checkbox"
          checked={form.active}
          onChange={(e) => setForm({ ...form, active: e.target.checked })}
        />
        {t('admin.accountActive')}
      </label>
      <ErrorMessage error={err} fieldsShown={USER_FIELDS} />
      <div className="row">
        <button type="button" onClick={onCancel}>
          {t('common.back')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function LinksTab({ facilities }: { facilities: Facility[] }) {
  const { t } = useTranslation();
  const [supporter, setSupporter] = useState('');
  const detail = useLoad(async () => (supporter ? api.facility(supporter) : null), [supporter]);
  const [supported, setSupported] = useState('');
  const [kind, setKind] = useState<SupportKind>('mentoring');
  const [err, setErr] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    try {
      await api.addSupportLink({ supporterId: supporter, supportedId: supported, kind });
      setSupported('');
      await detail.reload();
    } catch (x) {
      setErr(x);
    }
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="links-title">
      <h2 id="links-title">{t('admin.tab.links')}</h2>
      <label>
        {t('admin.supporter')}
        <select value={supporter} onChange={(e) => setSupporter(e.target.value)}>
          <option value="">—</option>
          {facilities.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      {detail.data ? (
        <ul aria-label={t('admin.currentLinks')}>
          {detail.data.supports.map((l) => (
            <li key={l.linkId}>
              → {l.facility.name} ({t(`supportKind.${l.kind}`)}){' '}
              <button
                type="button"
                className="link"
                aria-label={t('admin.removeLinkNamed', { name: l.facility.name })}
                onClick={async () => {
                  if (!window.confirm(t('admin.removeLinkConfirm'))) return;
                  setErr(null);
                  try {
                    await api.removeSupportLink(l.linkId);
                    await detail.reload();
                  } catch (x) {
                    setErr(x);
                  }
                }}
              >
                {t('common.remove')}
              </button>
            </li>
          ))}
          {(detail.data.supports ?? []).length === 0 ? <li>{t('admin.noLinks')}</li> : null}
        </ul>
      ) : null}
      <label>
        {t('admin.supported')}
        <select value={supported} onChange={(e) => setSupported(e.target.value)}>
          <option value="">—</option>
          {facilities
            .filter((f) => f.id !== supporter)
            .map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
        </select>
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
      <FieldError error={err} field="supportedId" />
      <ErrorMessage error={err} fieldsShown={['supportedId']} />
      <button type="submit" className="primary" disabled={!supporter || !supported}>
        {t('admin.addLink')}
      </button>
    </form>
  );
}

function AuditTab() {
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
