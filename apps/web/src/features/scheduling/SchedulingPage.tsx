import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import interactionPlugin from '@fullcalendar/interaction';
import viLocale from '@fullcalendar/core/locales/vi';
import type { EventChangeArg, EventInput } from '@fullcalendar/core';
import { ApiRequestError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { Urgency } from '@caunoi/shared';
import type { BookedSession, SessionListItem, SuggestedSlot } from '@caunoi/shared';
import { useAuth } from '../../app/auth';
import { ErrorMessage, Loading, Page, UrgencyBadge, useLoad } from '../../app/ui';
import {
  formatDateTime,
  formatTime,
  fromCalendarDate,
  isoToVnLocal,
  toCalendarDate,
  vnLocalToIso,
} from '../../i18n/format';
import { ReasonDialog } from '../consultations/ReasonDialog';
import { specialtyLabel } from '../consultations/specialties';
import { conflictsFromError, findConflicts, type Interval } from './conflicts';

const DAY = 86_400_000;

function weekStart(d: Date): Date {
  // Monday 00:00 Vietnam time, as a UTC instant.
  const vn = toCalendarDate(d);
  const dow = (vn.getUTCDay() + 6) % 7;
  const monday = Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate() - dow);
  return fromCalendarDate(new Date(monday));
}

/**
 * Coordinator's scheduling screen: pick specialists and sites, see their week (availability and
 * bookings) on a calendar, ask for slot suggestions, see clashes before booking, then book.
 */
export default function SchedulingPage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const [params] = useSearchParams();
  const [consultationId, setConsultationId] = useState(params.get('consultationId') ?? '');
  const accepted = useLoad(() => api.consultations({ role: 'target', status: 'accepted' }), []);
  const consultation = useLoad(
    async () => (consultationId ? api.consultation(consultationId) : null),
    [consultationId],
  );
  const specialists = useLoad(
    () => api.users({ role: 'specialist', facilityId: user?.facilityId ?? undefined }),
    [user?.facilityId],
  );
  const [chosen, setChosen] = useState<string[]>([]);
  const [duration, setDuration] = useState(45);
  const [range, setRange] = useState(() => {
    const from = weekStart(new Date());
    return { from: from.toISOString(), to: new Date(from.getTime() + 7 * DAY).toISOString() };
  });
  const [slot, setSlot] = useState<Interval | null>(null);
  const [suggestions, setSuggestions] = useState<SuggestedSlot[] | null>(null);
  const [suggestionUrgency, setSuggestionUrgency] = useState<Urgency | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [serverConflicts, setServerConflicts] = useState<Interval[]>([]);
  const [booked, setBooked] = useState<BookedSession | null>(null);
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState<SessionListItem | null>(null);

  const con = consultation.data ?? null;
  const requestingSiteId = con?.requestingFacilityId ?? con?.requestingFacility?.id ?? null;
  const requesterId = con?.requesterId ?? con?.requester?.id ?? null;
  const siteIds = useMemo(() => (requestingSiteId ? [requestingSiteId] : []), [requestingSiteId]);
  const participantIds = useMemo(() => {
    const ids = new Set(chosen);
    if (requesterId) ids.add(requesterId);
    return [...ids];
  }, [chosen, requesterId]);

  const sessions = useLoad(
    () =>
      api
        .sessions({ from: range.from, to: range.to, userIds: chosen.length ? chosen : undefined })
        .catch(() => [] as SessionListItem[]),
    [range.from, range.to, chosen.join(',')],
  );
  const availability = useLoad(
    () =>
      chosen.length || siteIds.length
        ? api
            .availability({ userIds: chosen, facilityIds: siteIds, from: range.from, to: range.to })
            .catch(() => [])
        : Promise.resolve([]),
    [range.from, range.to, chosen.join(','), siteIds.join(',')],
  );

  const conflicts = useMemo(
    () => (slot ? findConflicts(slot, sessions.data ?? [], participantIds, siteIds) : []),
    [slot, sessions.data, participantIds, siteIds],
  );

  const nameOf = (id: string) =>
    specialists.data?.find((s) => s.id === id)?.fullName ??
    (id === requesterId ? (con?.requester?.fullName ?? t('scheduling.requester')) : id.slice(0, 8));

  const events: EventInput[] = useMemo(() => {
    const out: EventInput[] = [];
    for (const a of availability.data ?? []) {
      out.push({
        start: toCalendarDate(a.startsAt),
        end: toCalendarDate(a.endsAt),
        display: 'background',
        classNames: [a.facilityId ? 'site-availability' : 'availability'],
      });
    }
    for (const s of sessions.data ?? []) {
      if (s.status === 'cancelled') continue;
      // Sessions still ahead can be dragged to another time (or resized) to reschedule them.
      const movable = s.status === 'scheduled' && Date.parse(s.startsAt) > Date.now();
      out.push({
        id: s.id,
        start: toCalendarDate(s.startsAt),
        end: toCalendarDate(s.endsAt),
        title: s.title ?? t('scheduling.booked'),
        classNames: ['booked'],
        editable: movable,
      });
    }
    for (const sug of suggestions ?? []) {
      out.push({
        start: toCalendarDate(sug.startsAt),
        end: toCalendarDate(sug.endsAt),
        title: sug.outsideAvailability
          ? t('scheduling.suggestedOutside')
          : t('scheduling.suggested'),
        classNames: sug.outsideAvailability ? ['suggested', 'outside'] : ['suggested'],
      });
    }
    if (slot)
      out.push({
        start: toCalendarDate(slot.startsAt),
        end: toCalendarDate(slot.endsAt),
        title: t('scheduling.chosen'),
        classNames: ['chosen', conflicts.length ? 'clash' : 'ok'],
      });
    return out;
  }, [availability.data, sessions.data, suggestions, slot, conflicts.length, i18n.language]);

  async function suggest() {
    setError(null);
    setSuggestions(null);
    try {
      const res = await api.suggestions({
        userIds: chosen,
        facilityIds: siteIds,
        durationMinutes: duration,
        consultationId: con?.id,
        limit: 5,
      });
      setSuggestions(res.items);
      setSuggestionUrgency(res.urgency ?? con?.urgency ?? null);
    } catch (err) {
      setError(err);
    }
  }

  async function book() {
    if (!slot || !con) return;
    setBusy(true);
    setError(null);
    setServerConflicts([]);
    try {
      // The title travels into calendar feeds: a specialty, never a patient's name.
      const title = t('scheduling.defaultTitle', {
        specialty: specialtyLabel(t, con.specialty).toLocaleLowerCase(i18n.language),
      });
      const s = await api.createSession({
        consultationIds: [con.id],
        participantIds,
        facilityIds: siteIds,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        title,
      });
      setBooked(s);
      setSuggestions(null);
      setSlot(null);
      await Promise.all([sessions.reload(), accepted.reload(), consultation.reload()]);
    } catch (err) {
      setError(err);
      if (err instanceof ApiRequestError && err.status === 409)
        setServerConflicts(conflictsFromError(err.body));
    } finally {
      setBusy(false);
    }
  }

  async function cancelSession(s: SessionListItem, reason: string) {
    setError(null);
    try {
      await api.cancelSession(s.id, reason);
      await sessions.reload();
    } catch (err) {
      setError(err);
    } finally {
      setCancelling(null);
    }
  }

  async function reschedule(s: SessionListItem, local: string) {
    setError(null);
    const startsAt = vnLocalToIso(local);
    const length = Date.parse(s.endsAt) - Date.parse(s.startsAt);
    const endsAt = new Date(Date.parse(startsAt) + length).toISOString();
    const clash = findConflicts(
      { startsAt, endsAt },
      sessions.data ?? [],
      s.participantIds,
      s.facilityIds,
      s.id,
    );
    if (clash.length && !window.confirm(t('scheduling.rescheduleClash', { count: clash.length })))
      return;
    try {
      await api.rescheduleSession(s.id, { startsAt, endsAt });
      await sessions.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function moveOnCalendar(arg: EventChangeArg) {
    const s = (sessions.data ?? []).find((x) => x.id === arg.event.id);
    if (!s || !arg.event.start || !arg.event.end) return arg.revert();
    const startsAt = fromCalendarDate(arg.event.start).toISOString();
    const endsAt = fromCalendarDate(arg.event.end).toISOString();
    const clash = findConflicts(
      { startsAt, endsAt },
      sessions.data ?? [],
      s.participantIds,
      s.facilityIds,
      s.id,
    );
    const question = clash.length
      ? t('scheduling.rescheduleClash', { count: clash.length })
      : t('scheduling.rescheduleConfirm', { when: slotLabel({ startsAt, endsAt }) });
    if (!window.confirm(question)) return arg.revert();
    setError(null);
    try {
      await api.rescheduleSession(s.id, { startsAt, endsAt });
      await sessions.reload();
    } catch (err) {
      arg.revert();
      setError(err);
    }
  }

  const slotLabel = (s: Interval) =>
    `${formatDateTime(s.startsAt, i18n.language)} – ${formatTime(s.endsAt, i18n.language)}`;

  return (
    <Page title={t('scheduling.title')}>
      <div className="scheduling">
        <aside className="card scheduling-side" aria-label={t('scheduling.setup')}>
          <label>
            {t('scheduling.consultation')}
            <select value={consultationId} onChange={(e) => setConsultationId(e.target.value)}>
              <option value="">{t('scheduling.chooseConsultation')}</option>
              {con && !(accepted.data ?? []).some((c) => c.id === con.id) ? (
                <option value={con.id}>{con.patient?.fullName ?? con.id}</option>
              ) : null}
              {(accepted.data ?? []).map((c) => (
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
            {specialists.loading && !specialists.data ? <Loading /> : null}
            <ErrorMessage error={specialists.error} />
            {(specialists.data ?? []).map((s) => (
              <label key={s.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={chosen.includes(s.id)}
                  onChange={(e) => {
                    setSuggestions(null);
                    setChosen((prev) =>
                      e.target.checked ? [...prev, s.id] : prev.filter((x) => x !== s.id),
                    );
                  }}
                />
                {s.fullName} {s.specialty ? `(${specialtyLabel(t, s.specialty)})` : ''}
              </label>
            ))}
          </fieldset>
          <p className="small">
            {t('scheduling.sites')}: {con?.requestingFacility?.name ?? '—'}
          </p>
          <label>
            {t('scheduling.duration')}
            <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
              {[30, 45, 60, 90].map((m) => (
                <option key={m} value={m}>
                  {t('scheduling.minutes', { count: m })}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void suggest()} disabled={!chosen.length || !con}>
            {t('scheduling.suggest')}
          </button>
          {suggestions && suggestionUrgency ? (
            <p className="muted small" id="suggestion-horizon">
              {t(`scheduling.horizon.${suggestionUrgency}`)}
            </p>
          ) : null}
          {suggestions?.some((s) => s.outsideAvailability) ? (
            <p className="notice" role="status">
              {t('scheduling.outsideNotice')}
            </p>
          ) : null}
          {suggestions ? (
            <ul className="slots" aria-label={t('scheduling.suggestions')}>
              {suggestions.map((s) => (
                <li key={s.startsAt} className={s.outsideAvailability ? 'outside' : undefined}>
                  <button
                    type="button"
                    aria-pressed={slot?.startsAt === s.startsAt}
                    aria-label={
                      s.outsideAvailability
                        ? t('scheduling.outsideSlot', { when: slotLabel(s) })
                        : undefined
                    }
                    onClick={() => setSlot({ startsAt: s.startsAt, endsAt: s.endsAt })}
                  >
                    {slotLabel(s)}
                  </button>
                  {s.outsideAvailability ? (
                    <span className="badge outside-badge"> {t('scheduling.outside')}</span>
                  ) : null}
                </li>
              ))}
              {suggestions.length === 0 ? <li>{t('scheduling.noSuggestions')}</li> : null}
            </ul>
          ) : null}
          <label>
            {t('scheduling.manualStart')}
            <input
              type="datetime-local"
              value={slot ? isoToVnLocal(slot.startsAt) : ''}
              onChange={(e) => {
                if (!e.target.value) return setSlot(null);
                const startsAt = vnLocalToIso(e.target.value);
                setSlot({
                  startsAt,
                  endsAt: new Date(Date.parse(startsAt) + duration * 60_000).toISOString(),
                });
              }}
            />
          </label>
          <section aria-live="polite" aria-label={t('scheduling.chosenSlot')}>
            {slot ? (
              <p>
                <strong>{t('scheduling.chosen')}:</strong> {slotLabel(slot)}
              </p>
            ) : null}
            {conflicts.length ? (
              <div role="alert" className="error">
                <p>{t('scheduling.conflictsFound', { count: conflicts.length })}</p>
                <ul>
                  {conflicts.map((c) => (
                    <li key={c.session.id}>
                      {slotLabel(c.session)} —{' '}
                      {[
                        ...c.userIds.map(nameOf),
                        ...c.facilityIds.map(() => t('scheduling.site')),
                      ].join(', ')}
                    </li>
                  ))}
                </ul>
              </div>
            ) : slot ? (
              <p className="success">{t('scheduling.noConflicts')}</p>
            ) : null}
          </section>
          {serverConflicts.length ? (
            <div role="alert" className="error">
              <p>{t('scheduling.serverConflicts')}</p>
              <ul>
                {serverConflicts.map((c, i) => (
                  <li key={i}>{slotLabel(c)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <ErrorMessage error={error} />
          <button
            type="button"
            className="primary"
            disabled={!slot || !con || busy || !chosen.length}
            onClick={() => void book()}
          >
            {t('scheduling.book')}
          </button>
          {booked ? (
            <div role="status" className="success">
              <p>{t('scheduling.bookedOk', { when: slotLabel(booked) })}</p>
              {booked.warnings.length ? (
                <p className="notice">{t('scheduling.outsideWarning')}</p>
              ) : null}
              <Link to={`/sessions/${booked.id}`}>{t('sessions.enterRoom')}</Link>
            </div>
          ) : null}
        </aside>
        <div className="card calendar" aria-label={t('scheduling.calendar')} role="region">
          <FullCalendar
            plugins={[timeGridPlugin, interactionPlugin]}
            initialView="timeGridWeek"
            timeZone="UTC"
            locales={[viLocale]}
            locale={i18n.language.startsWith('vi') ? 'vi' : 'en-gb'}
            firstDay={1}
            slotMinTime="00:00:00"
            slotMaxTime="24:00:00"
            scrollTime="06:30:00"
            allDaySlot={false}
            height={640}
            nowIndicator
            now={toCalendarDate(new Date())}
            selectable
            selectMirror
            events={events}
            buttonText={{ today: t('scheduling.today') }}
            datesSet={(arg) => {
              const from = fromCalendarDate(arg.start).toISOString();
              const to = fromCalendarDate(arg.end).toISOString();
              if (from !== range.from || to !== range.to) setRange({ from, to });
            }}
            eventDrop={(arg) => void moveOnCalendar(arg)}
            eventResize={(arg) => void moveOnCalendar(arg)}
            select={(arg) => {
              setSlot({
                startsAt: fromCalendarDate(arg.start).toISOString(),
                endsAt: fromCalendarDate(arg.end).toISOString(),
              });
            }}
          />
          <p className="legend small">
            <span className="swatch availability" /> {t('scheduling.legendAvailable')}{' '}
            <span className="swatch booked" /> {t('scheduling.legendBooked')}{' '}
            <span className="swatch suggested" /> {t('scheduling.legendSuggested')}{' '}
            <span className="swatch site-availability" /> {t('scheduling.legendSite')} ·{' '}
            {t('scheduling.timezoneNote')} · {t('scheduling.dragHint')}
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="week-sessions">
        <h2 id="week-sessions">{t('scheduling.weekSessions')}</h2>
        <table aria-label={t('scheduling.weekSessions')}>
          <thead>
            <tr>
              <th scope="col">{t('sessions.when')}</th>
              <th scope="col">{t('sessions.subject')}</th>
              <th scope="col">{t('scheduling.reschedule')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {(sessions.data ?? [])
              .filter((s) => s.status !== 'cancelled')
              .map((s) => (
                <tr key={s.id}>
                  <td>{slotLabel(s)}</td>
                  <td>{s.title ?? '—'}</td>
                  <td>
                    {s.status === 'scheduled' && Date.parse(s.startsAt) > Date.now() ? (
                      <input
                        type="datetime-local"
                        aria-label={t('scheduling.newStartFor', { when: slotLabel(s) })}
                        defaultValue={isoToVnLocal(s.startsAt)}
                        onBlur={(e) => {
                          if (e.target.value && e.target.value !== isoToVnLocal(s.startsAt))
                            void reschedule(s, e.target.value);
                        }}
                      />
                    ) : (
                      <span className="muted">{t(`sessionStatus.${s.status ?? 'scheduled'}`)}</span>
                    )}
                  </td>
                  <td className="row">
                    <Link to={`/sessions/${s.id}`}>{t('sessions.enterRoom')}</Link>
                    {s.status === 'scheduled' ? (
                      <button
                        type="button"
                        onClick={() => setCancelling(s)}
                        aria-label={t('scheduling.cancelFor', { when: slotLabel(s) })}
                      >
                        {t('scheduling.cancelSession')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            {sessions.data && sessions.data.length === 0 ? (
              <tr>
                <td colSpan={4}>{t('sessions.none')}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
      {cancelling ? (
        <ReasonDialog
          title={t('scheduling.cancelTitle')}
          onCancel={() => setCancelling(null)}
          onConfirm={(r) => void cancelSession(cancelling, r)}
        />
      ) : null}
    </Page>
  );
}
