import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { Facility } from '@caunoi/shared';
import { ErrorMessage, Loading } from '../../app/ui';
import { facilityPatch, type FacilityForm } from './adminForms';
import { Field, LevelSelect, RegionSelect, TextField } from './fields';
import { EditActions, ListEdit, useListEdit, useSubmit } from './listEdit';
import { DicomInboxSettings } from './DicomInboxSettings';
import { MachineReaderSettings } from './MachineReaderSettings';
import { PacsSettings } from './PacsSettings';

const EMPTY: FacilityForm & { code: string } = {
  code: '',
  name: '',
  province: '',
  level: 'district',
  region: '',
};

/** Facilities: the list, a facility picked for editing, or a new one. */
export function FacilitiesTab({
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
  const flow = useListEdit<Facility>(reload);
  return (
    <ListEdit
      label={t('admin.tab.facilities')}
      flow={flow}
      items={facilities}
      columns={[
        t('admin.code'),
        t('admin.name'),
        t('admin.province'),
        t('admin.level'),
        t('admin.region'),
      ]}
      cells={(f) => [
        f.code,
        f.name,
        f.province ?? '—',
        t(`level.${f.level}`),
        f.region ? t(`region.${f.region}`) : '—',
      ]}
      editLabel={(f) => t('admin.editFacilityNamed', { name: f.name })}
      notices={
        <>
          {loading ? <Loading /> : null}
          <ErrorMessage error={error} />
        </>
      }
      editor={(f) => (
        <>
          <EditFacilityForm key={f.id} facility={f} onCancel={flow.close} onSaved={flow.done} />
          <PacsSettings key={`pacs-${f.id}`} facilityId={f.id} />
          <DicomInboxSettings key={`inbox-${f.id}`} facilityId={f.id} />
          <MachineReaderSettings key={`reader-${f.id}`} facilityId={f.id} />
        </>
      )}
      creator={<NewFacilityForm reload={reload} />}
    />
  );
}

function NewFacilityForm({ reload }: { reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const [form, setForm] = useState(EMPTY);
  const { error, onSubmit } = useSubmit(async () => {
    await api.createFacility({
      ...form,
      code: form.code.trim().toUpperCase(),
      region: form.region || null,
    });
    setForm(EMPTY);
    await reload();
  });
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="new-fac" noValidate>
      <h2 id="new-fac">{t('admin.newFacility')}</h2>
      <TextField
        label={t('admin.code')}
        field="code"
        error={error}
        required
        value={form.code}
        onChange={(code) => setForm({ ...form, code })}
      />
      <FacilityFields form={form} setForm={(f) => setForm({ ...form, ...f })} error={error} />
      <ErrorMessage error={error} fieldsShown={['code', 'name', 'province', 'level', 'region']} />
      <button type="submit" className="primary">
        {t('admin.create')}
      </button>
    </form>
  );
}

function EditFacilityForm({
  facility,
  onCancel,
  onSaved,
}: {
  facility: Facility;
  onCancel: () => void;
  onSaved: (name: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<FacilityForm>({
    name: facility.name,
    province: facility.province ?? '',
    level: facility.level,
    region: facility.region ?? '',
  });
  const { error, busy, onSubmit } = useSubmit(async () => {
    const patch = facilityPatch(facility, form);
    if (!patch) return onCancel();
    const f = await api.updateFacility(facility.id, patch);
    await onSaved(f?.name ?? patch.name ?? facility.name);
  });
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="edit-fac" noValidate>
      <h2 id="edit-fac">{t('admin.editFacility', { code: facility.code })}</h2>
      <FacilityFields form={form} setForm={(f) => setForm({ ...form, ...f })} error={error} />
      <ErrorMessage error={error} fieldsShown={['name', 'province', 'level', 'region']} />
      <EditActions busy={busy} onCancel={onCancel} />
    </form>
  );
}

/** Name, province, level and region: the fields a new and an edited facility share. */
function FacilityFields({
  form,
  setForm,
  error,
}: {
  form: FacilityForm;
  setForm: (f: Partial<FacilityForm>) => void;
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        label={t('admin.name')}
        field="name"
        error={error}
        required
        value={form.name}
        onChange={(name) => setForm({ name })}
      />
      <TextField
        label={t('admin.province')}
        field="province"
        error={error}
        value={form.province}
        onChange={(province) => setForm({ province })}
      />
      <Field label={t('admin.level')} field="level" error={error}>
        <LevelSelect value={form.level} onChange={(level) => setForm({ level })} />
      </Field>
      <Field label={t('admin.region')} field="region" error={error}>
        <RegionSelect value={form.region} onChange={(region) => setForm({ region })} />
      </Field>
    </>
  );
}
