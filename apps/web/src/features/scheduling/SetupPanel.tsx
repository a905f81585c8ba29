import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage, Loading, UrgencyBadge } from '../../app/ui';
import { isoToVnLocal } from '../../i18n/format';
import { specialtyLabel } from '../../shared/specialties';
import type { Scheduling } from './useScheduling';

/** The side panel: consultation, specialists, duration, suggestions, chosen slot, booking. */
export function SetupPanel({ s }: { s: Scheduling }) {
  const { t } = useTranslation();
  const { con } = s;
  return (
    <aside className="card scheduling-side" aria-label={t('scheduling.setup')}>
      <label>
        {t('scheduling.consultation')}
        <select value={s.consultationId} onChange={(e) => s.setConsultationId(e.target.value)}>
          <option value="">{t('scheduling.chooseConsultation')}</option>
          {con && !(s.accepted.data ?? []).some((c) => c.id === con.id) ? (
            <option value={con.id}>{con.patient?.fullName ?? con.id}</option>
          ) : null}
          {(s.accepted.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.patient?.fullName ?? c.id.slice(0, 8)} · {specialtyLabel(t, c.specialty)}
            </option>
          ))}
        </select>
      </label>
      {con ? (
        <p className="small">
          <UrgencyBadge urgency={con.urgency} /> {con.requestingFacility?.name} ·{' '}
          {specialtyLabel(t, con.specialty)}
        </p>
      ) : null}
      <fieldset>
        <legend>{t('scheduling.specialists')}</legend>
        {s.specialists.loading && !s.specialists.data ? <Loading /> : null}
        <ErrorMessage error={s.specialists.error} />
        {(s.specialists.data ?? []).map((p) => (
          <label key={p.id} className="checkbox">
            <input
              type="checkbox"
              checked={s.chosen.includes(p.id)}
              onChange={(e) => s.toggleSpecialist(p.id, e.target.checked)}
            />
            {p.fullName} {p.specialty ? `(${specialtyLabel(t, p.specialty)})` : ''}
          </label>
        ))}
      </fieldset>
      <p className="small">
        {t('scheduling.sites')}: {con?.requestingFacility?.name ?? '—'}
      </p>
      <label>
        {t('scheduling.duration')}
        <select value={s.duration} onChange={(e) => s.setDuration(Number(e.target.value))}>
          {[30, 45, 60, 90].map((m) => (
            <option key={m} value={m}>
              {t('scheduling.minutes', { count: m })}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => void s.suggest()} disabled={!s.chosen.length || !con}>
        {t('scheduling.suggest')}
      </button>
      <Suggestions s={s} />
      <label>
        {t('scheduling.manualStart')}
        <input
          type="datetime-local"
          value={s.slot ? isoToVnLocal(s.slot.startsAt) : ''}
          onChange={(e) => s.chooseStart(e.target.value)}
        />
      </label>
      <ChosenSlot s={s} />
      <ErrorMessage error={s.error} />
      <button
        type="button"
        className="primary"
        disabled={!s.slot || !con || s.busy || !s.chosen.length}
        onClick={() => void s.book()}
      >
        {t('scheduling.book')}
      </button>
      {s.booked ? (
        <div role="status" className="success">
          <p>{t('scheduling.bookedOk', { when: s.slotLabel(s.booked) })}</p>
          {s.booked.warnings.length ? (
            <p className="notice">{t('scheduling.outsideWarning')}</p>
          ) : null}
          <Link to={`/sessions/${s.booked.id}`}>{t('sessions.enterRoom')}</Link>
        </div>
      ) : null}
    </aside>
  );
}

function Suggestions({ s }: { s: Scheduling }) {
  const { t } = useTranslation();
  const { suggestions } = s;
  if (!suggestions) return null;
  return (
    <>
      {s.suggestionUrgency ? (
        <p className="muted small" id="suggestion-horizon">
          {t(`scheduling.horizon.${s.suggestionUrgency}`)}
        </p>
      ) : null}
      {suggestions.some((x) => x.outsideAvailability) ? (
        <p className="notice" role="status">
          {t('scheduling.outsideNotice')}
        </p>
      ) : null}
      <ul className="slots" aria-label={t('scheduling.suggestions')}>
        {suggestions.map((x) => (
          <li key={x.startsAt} className={x.outsideAvailability ? 'outside' : undefined}>
            <button
              type="button"
              aria-pressed={s.slot?.startsAt === x.startsAt}
              aria-label={
                x.outsideAvailability
                  ? t('scheduling.outsideSlot', { when: s.slotLabel(x) })
                  : undefined
              }
              onClick={() => s.setSlot({ startsAt: x.startsAt, endsAt: x.endsAt })}
            >
              {s.slotLabel(x)}
            </button>
            {x.outsideAvailability ? (
              <span className="badge outside-badge"> {t('scheduling.outside')}</span>
            ) : null}
          </li>
        ))}
        {suggestions.length === 0 ? <li>{t('scheduling.noSuggestions')}</li> : null}
      </ul>
    </>
  );
}

/** The chosen slot with the clashes seen here, then those the API reported on booking. */
function ChosenSlot({ s }: { s: Scheduling }) {
  const { t } = useTranslation();
  return (
    <>
      <section aria-live="polite" aria-label={t('scheduling.chosenSlot')}>
        {s.slot ? (
          <p>
            <strong>{t('scheduling.chosen')}:</strong> {s.slotLabel(s.slot)}
          </p>
        ) : null}
        {s.conflicts.length ? (
          <div role="alert" className="error">
            <p>{t('scheduling.conflictsFound', { count: s.conflicts.length })}</p>
            <ul>
              {s.conflicts.map((c) => (
                <li key={c.session.id}>
                  {s.slotLabel(c.session)} —{' '}
                  {[
                    ...c.userIds.map(s.nameOf),
                    ...c.facilityIds.map(() => t('scheduling.site')),
                  ].join(', ')}
                </li>
              ))}
            </ul>
          </div>
        ) : s.slot ? (
          <p className="success">{t('scheduling.noConflicts')}</p>
        ) : null}
      </section>
      {s.serverConflicts.length ? (
        <div role="alert" className="error">
          <p>{t('scheduling.serverConflicts')}</p>
          <ul>
            {s.serverConflicts.map((c, i) => (
              <li key={i}>{s.slotLabel(c)}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}
