import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import interactionPlugin from '@fullcalendar/interaction';
import viLocale from '@fullcalendar/core/locales/vi';
import type { EventInput } from '@fullcalendar/core';
import type { OnCallShift } from '@caunoi/shared';
import { api } from '../../api/endpoints';
import { useAuth } from '../../app/auth';
import { ErrorMessage, Page, useLoad } from '../../app/ui';
import { formatDateTime, formatTime, fromCalendarDate, toCalendarDate } from '../../i18n/format';
import { specialtyLabel } from '../../shared/specialties';
import { ShiftForm } from './ShiftForm';

const WEEK = 7 * 86400_000;

/** Monday 00:00 Vietnam time of the current week, as an instant. */
function weekStart(): string {
  const vn = toCalendarDate(new Date());
  const day = (vn.getUTCDay() + 6) % 7;
  const monday = Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate() - day);
  return fromCalendarDate(new Date(monday)).toISOString();
}

/**
 * The facility's on-call roster for emergencies, a week at a time: who covers which specialty
 * when, and in which order they are rung. Coordinators add a shift (choose a time on the
 * calendar or type it) and remove one; specialists read it. On a phone the calendar shows one
 * day and the list below carries the same shifts.
 */
export default function OnCallPage() {
  const { t, i18n } = useTranslation();
  const { user, hasRole } = useAuth();
  const facilityId = user?.facilityId ?? '';
  const editor = hasRole('coordinator');
  const [range, setRange] = useState(() => {
    const from = weekStart();
    return { from, to: new Date(Date.parse(from) + WEEK).toISOString() };
  });
  const [slot, setSlot] = useState<{ startsAt: string; endsAt: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const shifts = useLoad(
    () => (facilityId ? api.onCall(facilityId, range) : Promise.resolve([])),
    [facilityId, range.from, range.to],
  );
  const narrow = typeof window !== 'undefined' && window.innerWidth < 700;

  const events: EventInput[] = useMemo(
    () =>
      (shifts.data ?? []).map((s) => ({
        id: s.id,
        start: toCalendarDate(s.startsAt),
        end: toCalendarDate(s.endsAt),
        title: `${s.order}. ${s.specialist.fullName} — ${specialtyLabel(t, s.specialty)}`,
        classNames: ['on-call', `tier-${Math.min(s.order, 3)}`],
      })),
    [shifts.data, t, i18n.language],
  );

  const remove = async (s: OnCallShift) => {
    setError(null);
    try {
      await api.removeOnCall(facilityId, s.id);
      await shifts.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Page title={t('onCall.title')}>
      <p className="muted">{t('onCall.intro')}</p>
      {editor ? (
        <ShiftForm facilityId={facilityId} slot={slot} onAdded={() => void shifts.reload()} />
      ) : null}
      <ErrorMessage error={shifts.error ?? error} />
      <div className="card calendar" role="region" aria-label={t('onCall.calendar')}>
        <FullCalendar
          plugins={[timeGridPlugin, interactionPlugin]}
          initialView={narrow ? 'timeGridDay' : 'timeGridWeek'}
          timeZone="UTC"
          locales={[viLocale]}
          locale={i18n.language.startsWith('vi') ? 'vi' : 'en-gb'}
          firstDay={1}
          allDaySlot={false}
          height={narrow ? 520 : 640}
          nowIndicator
          now={toCalendarDate(new Date())}
          selectable={editor}
          selectMirror
          events={events}
          buttonText={{ today: t('scheduling.today') }}
          datesSet={(arg) => {
            const from = fromCalendarDate(arg.start).toISOString();
            const to = fromCalendarDate(arg.end).toISOString();
            if (from !== range.from || to !== range.to) setRange({ from, to });
          }}
          select={(arg) =>
            setSlot({
              startsAt: fromCalendarDate(arg.start).toISOString(),
              endsAt: fromCalendarDate(arg.end).toISOString(),
            })
          }
        />
        <p className="legend small">{t('onCall.legend')}</p>
      </div>
      <h2>{t('onCall.listTitle')}</h2>
      {shifts.data && shifts.data.length === 0 ? <p>{t('onCall.none')}</p> : null}
      <ul className="on-call-list" aria-label={t('onCall.listTitle')}>
        {(shifts.data ?? []).map((s) => (
          <li key={s.id} className="row wrap">
            <span>
              <strong>{t('onCall.tier', { order: s.order })}</strong> {s.specialist.fullName} —{' '}
              {specialtyLabel(t, s.specialty)} · {formatDateTime(s.startsAt, i18n.language)} –{' '}
              {formatTime(s.endsAt, i18n.language)}
            </span>
            {editor ? (
              <button
                type="button"
                aria-label={t('onCall.removeOf', { name: s.specialist.fullName })}
                onClick={() => void remove(s)}
              >
                {t('onCall.remove')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}
