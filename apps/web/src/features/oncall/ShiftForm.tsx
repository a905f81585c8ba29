import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ON_CALL_MAX_ORDER } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { ErrorMessage, FieldError, useLoad } from '../../app/ui';
import { isoToVnLocal, vnLocalToIso } from '../../i18n/format';
import { SPECIALTIES, specialtyLabel } from '../../shared/specialties';

const HOUR = 3600_000;

/** A coordinator adds one shift: who, which specialty, from–to (Vietnam time), escalation order. */
export function ShiftForm({
  facilityId,
  slot,
  onAdded,
}: {
  facilityId: string;
  /** A time chosen on the calendar fills the window. */
  slot: { startsAt: string; endsAt: string } | null;
  onAdded: () => void;
}) {
  const { t } = useTranslation();
  const specialists = useLoad(
    () => api.users({ role: 'specialist', facilityId, limit: 500 }),
    [facilityId],
  );
  const [form, setForm] = useState(() => {
    const start = Math.ceil(Date.now() / HOUR) * HOUR;
    return {
      userId: '',
      specialty: SPECIALTIES[0],
      startsAt: isoToVnLocal(new Date(start)),
      endsAt: isoToVnLocal(new Date(start + 12 * HOUR)),
      order: 1,
    };
  });
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (slot)
      setForm((f) => ({
        ...f,
        startsAt: isoToVnLocal(slot.startsAt),
        endsAt: isoToVnLocal(slot.endsAt),
      }));
  }, [slot]);

  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      await api.addOnCall(facilityId, {
        userId: form.userId,
        specialty: form.specialty,
        startsAt: vnLocalToIso(form.startsAt),
        endsAt: vnLocalToIso(form.endsAt),
        order: form.order,
      });
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="card form-grid"
      aria-label={t('onCall.addTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t('onCall.addTitle')}</h2>
      <label>
        {t('onCall.specialist')}
        <select
          required
          value={form.userId}
          onChange={(e) => setForm({ ...form, userId: e.target.value })}
        >
          <option value="">{t('onCall.choose')}</option>
          {(specialists.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.fullName}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('onCall.specialty')}
        <select
          value={form.specialty}
          onChange={(e) => setForm({ ...form, specialty: e.target.value })}
        >
          {SPECIALTIES.map((s) => (
            <option key={s} value={s}>
              {specialtyLabel(t, s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('onCall.from')}
        <input
          type="datetime-local"
          required
          value={form.startsAt}
          onChange={(e) => setForm({ ...form, startsAt: e.target.value })}
        />
      </label>
      <label>
        {t('onCall.to')}
        <input
          type="datetime-local"
          required
          value={form.endsAt}
          onChange={(e) => setForm({ ...form, endsAt: e.target.value })}
        />
        <FieldError error={error} field="endsAt" />
      </label>
      <label>
        {t('onCall.order')}
        <input
          type="number"
          min={1}
          max={ON_CALL_MAX_ORDER}
          value={form.order}
          onChange={(e) => setForm({ ...form, order: Number(e.target.value) || 1 })}
        />
      </label>
      <p className="muted small">{t('onCall.orderHint')}</p>
      <ErrorMessage error={error} fieldsShown={['endsAt']} />
      <button type="submit" className="primary" disabled={saving || !form.userId}>
        {t('onCall.add')}
      </button>
    </form>
  );
}
