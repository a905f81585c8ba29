import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import interactionPlugin from '@fullcalendar/interaction';
import viLocale from '@fullcalendar/core/locales/vi';
import type { EventInput } from '@fullcalendar/core';
import { fromCalendarDate, toCalendarDate } from '../../i18n/format';
import type { Scheduling } from './useScheduling';

/** The week on a calendar: availability behind, sessions (draggable while ahead), suggestions, the chosen slot. */
export function WeekCalendar({ s }: { s: Scheduling }) {
  const { t, i18n } = useTranslation();
  const events: EventInput[] = useMemo(() => {
    const out: EventInput[] = [];
    for (const a of s.availability.data ?? []) {
      out.push({
        start: toCalendarDate(a.startsAt),
        end: toCalendarDate(a.endsAt),
        display: 'background',
        classNames: [a.facilityId ? 'site-availability' : 'availability'],
      });
    }
    for (const x of s.sessions.data ?? []) {
      if (x.status === 'cancelled') continue;
      // Sessions still ahead can be dragged to another time (or resized) to reschedule them.
      const movable = x.status === 'scheduled' && Date.parse(x.startsAt) > Date.now();
      out.push({
        id: x.id,
        start: toCalendarDate(x.startsAt),
        end: toCalendarDate(x.endsAt),
        title: x.title ?? t('scheduling.booked'),
        classNames: ['booked'],
        editable: movable,
      });
    }
    for (const sug of s.suggestions ?? []) {
      out.push({
        start: toCalendarDate(sug.startsAt),
        end: toCalendarDate(sug.endsAt),
        title: sug.outsideAvailability
          ? t('scheduling.suggestedOutside')
          : t('scheduling.suggested'),
        classNames: sug.outsideAvailability ? ['suggested', 'outside'] : ['suggested'],
      });
    }
    if (s.slot)
      out.push({
        start: toCalendarDate(s.slot.startsAt),
        end: toCalendarDate(s.slot.endsAt),
        title: t('scheduling.chosen'),
        classNames: ['chosen', s.conflicts.length ? 'clash' : 'ok'],
      });
    return out;
  }, [
    s.availability.data,
    s.sessions.data,
    s.suggestions,
    s.slot,
    s.conflicts.length,
    i18n.language,
  ]);
  return (
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
          if (from !== s.range.from || to !== s.range.to) s.setRange({ from, to });
        }}
        eventDrop={(arg) => void s.moveOnCalendar(arg)}
        eventResize={(arg) => void s.moveOnCalendar(arg)}
        select={(arg) => {
          s.setSlot({
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
  );
}
