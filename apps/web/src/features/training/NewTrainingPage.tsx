import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { TRAINING_MAX_SITES, type BookedSession } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { useAuth } from '../../app/auth';
import { ErrorMessage, FieldError, Page, useLoad } from '../../app/ui';
import { formatDateTime, vnLocalToIso } from '../../i18n/format';

/**
 * A coordinator organises a tele-education session: title, time, the presenter (a clinician of
 * the coordinator's facility) and the invited sites, or the whole network. No patient is linked.
 */
export function NewTrainingPage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const facilities = useLoad(() => api.facilities(), []);
  const presenters = useLoad(
    () => api.users({ role: 'specialist', facilityId: user?.facilityId ?? undefined, limit: 500 }),
    [user?.facilityId],
  );
  const [title, setTitle] = useState('');
  const [start, setStart] = useState('');
  const [minutes, setMinutes] = useState(60);
  const [presenterId, setPresenterId] = useState('');
  const [sites, setSites] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<BookedSession | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const startsAt = vnLocalToIso(start);
      const endsAt = new Date(Date.parse(startsAt) + minutes * 60_000).toISOString();
      setCreated(
        await api.createTrainingSession({
          title,
          startsAt,
          endsAt,
          presenterId,
          facilityIds: open ? [] : sites,
          openToNetwork: open,
        }),
      );
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (id: string) =>
    setSites((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <Page title={t('training.newTitle')}>
      <p className="muted">{t('training.newHelp')}</p>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label>
          {t('training.titleLabel')}
          <input
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
          <FieldError error={error} field="title" />
        </label>
        <label>
          {t('training.start')}
          <input
            required
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
          <FieldError error={error} field="startsAt" />
        </label>
        <label>
          {t('training.duration')}
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {[45, 60, 90, 120, 180].map((m) => (
              <option key={m} value={m}>
                {t('scheduling.minutes', { count: m })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('training.presenter')}
          <select required value={presenterId} onChange={(e) => setPresenterId(e.target.value)}>
            <option value="">{t('training.choosePresenter')}</option>
            {(presenters.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.fullName}
              </option>
            ))}
          </select>
          <FieldError error={error} field="presenterId" />
        </label>
        <label className="row">
          <input type="checkbox" checked={open} onChange={(e) => setOpen(e.target.checked)} />
          {t('training.openToNetwork')}
        </label>
        {!open ? (
          <fieldset>
            <legend>{t('training.sites', { count: sites.length, max: TRAINING_MAX_SITES })}</legend>
            {(facilities.data ?? [])
              .filter((f) => f.id !== user?.facilityId)
              .map((f) => (
                <label key={f.id} className="row">
                  <input
                    type="checkbox"
                    checked={sites.includes(f.id)}
                    disabled={!sites.includes(f.id) && sites.length >= TRAINING_MAX_SITES}
                    onChange={() => toggle(f.id)}
                  />
                  {f.name}
                </label>
              ))}
            <FieldError error={error} field="facilityIds" />
          </fieldset>
        ) : null}
        <ErrorMessage
          error={error}
          fieldsShown={['title', 'startsAt', 'presenterId', 'facilityIds']}
        />
        <button type="submit" className="primary" disabled={busy}>
          {t('training.create')}
        </button>
      </form>
      {created ? (
        <div role="status" className="success">
          <p>
            {t('training.created', {
              when: formatDateTime(created.startsAt, i18n.language),
              count: created.participantIds.length,
            })}
          </p>
          <Link to={`/sessions/${created.id}`}>{t('sessions.enterRoom')}</Link>
        </div>
      ) : null}
    </Page>
  );
}
