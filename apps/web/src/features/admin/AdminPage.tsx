import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FACILITY_LEVELS, ROLES, SUPPORT_KINDS, type Role } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import type { Facility } from '../../api/types';
import { ErrorMessage, Loading, Page, useLoad } from '../../app/ui';
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
          <button key={k} type="button" role="tab" aria-selected={tab === k} onClick={() => setTab(k)}>
            {t(`admin.tab.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={t(`admin.tab.${tab}`)}>
        {tab === 'facilities' ? <FacilitiesTab facilities={facilities.data ?? []} loading={facilities.loading} error={facilities.error} reload={facilities.reload} /> : null}
        {tab === 'users' ? <UsersTab facilities={facilities.data ?? []} /> : null}
        {tab === 'links' ? <LinksTab facilities={facilities.data ?? []} /> : null}
        {tab === 'audit' ? <AuditTab /> : null}
      </div>
    </Page>
  );
}

function FacilitiesTab({ facilities, loading, error, reload }: { facilities: Facility[]; loading: boolean; error: unknown; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ code: '', name: '', province: '', level: 'district' });
  const [err, setErr] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    try {
      await api.createFacility({ ...form, code: form.code.trim().toUpperCase(), level: form.level as Facility['level'] });
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
            </tr>
          </thead>
          <tbody>
            {facilities.map((f) => (
              <tr key={f.id}>
                <td>{f.code}</td>
                <td>{f.name}</td>
                <td>{f.province ?? '—'}</td>
                <td>{t(`level.${f.level}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="card" onSubmit={submit} aria-labelledby="new-fac">
        <h2 id="new-fac">{t('admin.newFacility')}</h2>
        <label>
          {t('admin.code')}
          <input required value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
        </label>
        <label>
          {t('admin.name')}
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          {t('admin.province')}
          <input value={form.province} onChange={(e) => setForm({ ...form, province: e.target.value })} />
        </label>
        <label>
          {t('admin.level')}
          <select value={form.level} onChange={(e) => setForm({ ...form, level: e.target.value })}>
            {FACILITY_LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={err} />
        <button type="submit" className="primary">
          {t('admin.create')}
        </button>
      </form>
    </div>
  );
}

function UsersTab({ facilities }: { facilities: Facility[] }) {
  const { t } = useTranslation();
  const users = useLoad(() => api.users(), []);
  const [form, setForm] = useState({ email: '', fullName: '', password: '', facilityId: '', role: 'requester' as Role, specialty: '', licenseNumber: '' });
  const [err, setErr] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    try {
      await api.createUser({
        email: form.email,
        fullName: form.fullName,
        password: form.password,
        roles: [form.role],
        facilityId: form.facilityId || null,
        specialty: form.specialty || null,
        licenseNumber: form.licenseNumber || null,
      });
      await users.reload();
    } catch (x) {
      setErr(x);
    }
  }
  const facilityName = (id: string | null) => facilities.find((f) => f.id === id)?.name ?? '—';
  return (
    <div className="two-col">
      <div>
        <ErrorMessage error={users.error} />
        <table aria-label={t('admin.tab.users')}>
          <thead>
            <tr>
              <th scope="col">{t('admin.fullName')}</th>
              <th scope="col">{t('login.email')}</th>
              <th scope="col">{t('admin.roles')}</th>
              <th scope="col">{t('admin.facility')}</th>
              <th scope="col">{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.id}>
                <td>{u.fullName}</td>
                <td>{u.email}</td>
                <td>{u.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
                <td>{u.facility?.name ?? facilityName(u.facilityId)}</td>
                <td>
                  {u.active === false ? t('admin.inactive') : t('admin.active')}{' '}
                  <button
                    type="button"
                    onClick={async () => {
                      setErr(null);
                      try {
                        await api.updateUser(u.id, { active: u.active === false });
                        await users.reload();
                      } catch (x) {
                        setErr(x);
                      }
                    }}
                    aria-label={t(u.active === false ? 'admin.activateNamed' : 'admin.deactivateNamed', { name: u.fullName })}
                  >
                    {u.active === false ? t('admin.activate') : t('admin.deactivate')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="card" onSubmit={submit} aria-labelledby="new-user">
        <h2 id="new-user">{t('admin.newUser')}</h2>
        <label>
          {t('admin.fullName')}
          <input required value={form.fullName} onChange={(e) => setForm({ ...form, fullName: e.target.value })} />
        </label>
        <label>
          {t('login.email')}
          <input type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </label>
        <label>
          {t('login.password')}
          <input type="password" required minLength={10} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </label>
        <label>
          {t('admin.role')}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.facility')}
          <select value={form.facilityId} onChange={(e) => setForm({ ...form, facilityId: e.target.value })}>
            <option value="">—</option>
            {facilities.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('consultations.specialty')}
          <input value={form.specialty} onChange={(e) => setForm({ ...form, specialty: e.target.value })} />
        </label>
        <label>
          {t('admin.licenseNumber')}
          <input value={form.licenseNumber} onChange={(e) => setForm({ ...form, licenseNumber: e.target.value })} />
        </label>
        <ErrorMessage error={err} />
        <button type="submit" className="primary">
          {t('admin.create')}
        </button>
      </form>
    </div>
  );
}

function LinksTab({ facilities }: { facilities: Facility[] }) {
  const { t } = useTranslation();
  const [supporter, setSupporter] = useState('');
  const detail = useLoad(async () => (supporter ? api.facility(supporter) : null), [supporter]);
  const [supported, setSupported] = useState('');
  const [kind, setKind] = useState<string>('mentoring');
  const [err, setErr] = useState<unknown>(null);
  const nameOf = (id?: string) => facilities.find((f) => f.id === id)?.name ?? id ?? '—';
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    try {
      await api.addSupportLink({ supporterId: supporter, supportedId: supported, kind });
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
          {(detail.data.supports ?? []).map((l, i) => (
            <li key={l.linkId ?? l.id ?? i}>
              → {l.supported?.name ?? l.facility?.name ?? nameOf(l.supportedId)} ({l.kind ? t(`supportKind.${l.kind}`) : ''}){' '}
              {l.linkId ?? l.id ? (
                <button
                  type="button"
                  className="link"
                  aria-label={t('admin.removeLinkNamed', { name: l.supported?.name ?? l.facility?.name ?? '' })}
                  onClick={async () => {
                    if (!window.confirm(t('admin.removeLinkConfirm'))) return;
                    setErr(null);
                    try {
                      await api.removeSupportLink((l.linkId ?? l.id)!);
                      await detail.reload();
                    } catch (x) {
                      setErr(x);
                    }
                  }}
                >
                  {t('common.remove')}
                </button>
              ) : null}
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
        <select value={kind} onChange={(e) => setKind(e.target.value)}>
          {SUPPORT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`supportKind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={err} />
      <button type="submit" className="primary" disabled={!supporter || !supported}>
        {t('admin.addLink')}
      </button>
    </form>
  );
}

function AuditTab() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState({ patientId: '', actorId: '', action: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
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
      <form
        className="row wrap filters"
        aria-label={t('admin.auditFilters')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        {(['patientId', 'actorId', 'action'] as const).map((k) => (
          <label key={k} className="inline-label">
            {t(`admin.audit.${k}`)}
            <input value={filters[k]} onChange={(e) => setFilters({ ...filters, [k]: e.target.value.trim() })} />
          </label>
        ))}
        <label className="inline-label">
          {t('admin.audit.from')}
          <input type="datetime-local" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        </label>
        <label className="inline-label">
          {t('admin.audit.to')}
          <input type="datetime-local" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        </label>
        <button type="submit">{t('common.filter')}</button>
      </form>
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
              <td>{formatDateTime(e.at ?? e.createdAt, i18n.language)}</td>
              <td>{e.actor?.fullName ?? e.actorName ?? e.actorId ?? '—'}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.target ?? [e.targetType, e.targetId].filter(Boolean).join(' ') ?? '—'}</td>
              <td>{e.address ?? e.ip ?? '—'}</td>
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
