import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventChangeArg } from '@fullcalendar/core';
import type { BookedSession, SessionListItem, SuggestedSlot, Urgency } from '@caunoi/shared';
import { ApiRequestError } from '../../api/client';
import { api } from '../../api/endpoints';
import { useAuth } from '../../app/auth';
import { useLoad } from '../../app/ui';
import {
  formatDateTime,
  formatTime,
  fromCalendarDate,
  toCalendarDate,
  vnLocalToIso,
} from '../../i18n/format';
import { specialtyLabel } from '../../shared/specialties';
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
 * The scheduling screen's state and actions: the consultation, the chosen specialists, the
 * visible week (sessions and availability), suggestions, the chosen slot and its clashes, and
 * booking, rescheduling and cancelling.
 */
export function useScheduling(initialConsultationId: string) {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const [consultationId, setConsultationId] = useState(initialConsultationId);
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

  const slotLabel = (s: Interval) =>
    `${formatDateTime(s.startsAt, i18n.language)} – ${formatTime(s.endsAt, i18n.language)}`;

  /** Clashes of a session moved to another time, the session itself left out. */
  const clashesOfMove = (s: SessionListItem, to: Interval) =>
    findConflicts(to, sessions.data ?? [], s.participantIds, s.facilityIds, s.id);

  function toggleSpecialist(id: string, on: boolean) {
    setSuggestions(null);
    setChosen((prev) => (on ? [...prev, id] : prev.filter((x) => x !== id)));
  }

  function chooseStart(local: string) {
    if (!local) return setSlot(null);
    const startsAt = vnLocalToIso(local);
    setSlot({ startsAt, endsAt: new Date(Date.parse(startsAt) + duration * 60_000).toISOString() });
  }

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
    }
  }

  /** Moves a session after asking `question` (if any); false when declined or refused. */
  async function moveSession(s: SessionListItem, to: Interval, question: string | null) {
    if (question && !window.confirm(question)) return false;
    setError(null);
    try {
      await api.rescheduleSession(s.id, to);
      await sessions.reload();
      return true;
    } catch (err) {
      setError(err);
      return false;
    }
  }

  /** A new start typed in the table: same length; asks only when the new time clashes. */
  async function reschedule(s: SessionListItem, local: string) {
    const startsAt = vnLocalToIso(local);
    const length = Date.parse(s.endsAt) - Date.parse(s.startsAt);
    const to = { startsAt, endsAt: new Date(Date.parse(startsAt) + length).toISOString() };
    const clash = clashesOfMove(s, to);
    await moveSession(
      s,
      to,
      clash.length ? t('scheduling.rescheduleClash', { count: clash.length }) : null,
    );
  }

  async function moveOnCalendar(arg: EventChangeArg) {
    const s = (sessions.data ?? []).find((x) => x.id === arg.event.id);
    if (!s || !arg.event.start || !arg.event.end) return arg.revert();
    const to = {
      startsAt: fromCalendarDate(arg.event.start).toISOString(),
      endsAt: fromCalendarDate(arg.event.end).toISOString(),
    };
    const clash = clashesOfMove(s, to);
    const question = clash.length
      ? t('scheduling.rescheduleClash', { count: clash.length })
      : t('scheduling.rescheduleConfirm', { when: slotLabel(to) });
    if (!(await moveSession(s, to, question))) arg.revert();
  }

  return {
    consultationId,
    setConsultationId,
    accepted,
    con,
    specialists,
    chosen,
    toggleSpecialist,
    duration,
    setDuration,
    range,
    setRange,
    slot,
    setSlot,
    chooseStart,
    suggestions,
    suggestionUrgency,
    sessions,
    availability,
    conflicts,
    serverConflicts,
    error,
    booked,
    busy,
    nameOf,
    slotLabel,
    suggest,
    book,
    cancelSession,
    reschedule,
    moveOnCalendar,
  };
}

export type Scheduling = ReturnType<typeof useScheduling>;
