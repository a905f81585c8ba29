import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { FeedSession } from './calendar.repository';

/**
 * A user's sessions as iCalendar. UIDs are stable per session and SEQUENCE grows with every
 * change, so calendar apps update an event in place; a cancelled session stays in the feed with
 * STATUS:CANCELLED so apps remove it. Times are UTC. No patient data: a feed URL is a secret
 * that ends up in calendar apps and their sync services.
 */
export function buildFeed(
  owner: { fullName: string },
  sessions: FeedSession[],
  sessionUrl: (id: string) => string,
): string {
  const cal = ical({
    name: `Cầu Nối — ${owner.fullName}`,
    prodId: { company: 'Cau Noi', product: 'teleconsultation', language: 'VI' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 15 * 60,
  });
  for (const s of sessions) {
    const cancelled = s.status === 'cancelled';
    cal.createEvent({
      id: `${s.id}@caunoi`,
      sequence: s.sequence,
      start: s.startsAt,
      end: s.endsAt,
      stamp: s.updatedAt,
      created: s.createdAt,
      lastModified: s.updatedAt,
      summary: `${cancelled ? '[Đã huỷ] ' : ''}${s.title ?? 'Hội chẩn từ xa'}${s.specialties.length ? ` — ${s.specialties.join(', ')}` : ''}`,
      description: `Phiên hội chẩn từ xa${s.organiser ? ` do ${s.organiser} tổ chức` : ''}. Tham gia: ${sessionUrl(s.id)}`,
      url: sessionUrl(s.id),
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
