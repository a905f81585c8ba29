import { Inject, Injectable } from '@nestjs/common';
import type { BookingConflict, SessionChangeKind } from '@caunoi/shared';
import { DataSource, EntityManager } from 'typeorm';

export interface NewSession {
  title: string | null;
  startsAt: string;
  endsAt: string;
  organiserFacilityId: string | null;
  createdBy: string;
  consultationIds: string[];
  participantIds: string[];
  facilityIds: string[];
}

/** SQLSTATE of an exclusion-constraint violation: someone is already booked then. */
export const EXCLUSION_VIOLATION = '23P01';

export function isDoubleBooking(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  return (e?.driverError?.code ?? e?.code) === EXCLUSION_VIOLATION;
}

/**
 * Booking: a new session with its invitations, and the bookings per person and site on which
 * PostgreSQL's exclusion constraints refuse double booking; every move of a session's time is
 * recorded as a change.
 */
@Injectable()
export class SessionBookingsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Session, what it covers, who and which sites are invited, and one booking per person and site. */
  async insert(m: EntityManager, s: NewSession): Promise<string> {
    const [row] = await m.query(
      `INSERT INTO sessions (title, starts_at, ends_at, organiser_facility_id, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [s.title, s.startsAt, s.endsAt, s.organiserFacilityId, s.createdBy],
    );
    const id = row.id as string;
    await m.query(
      `INSERT INTO session_consultations (session_id, consultation_id) SELECT $1, unnest($2::uuid[])`,
      [id, s.consultationIds],
    );
    await m.query(
      `INSERT INTO session_participants (session_id, user_id) SELECT $1, unnest($2::uuid[])`,
      [id, s.participantIds],
    );
    await m.query(
      `INSERT INTO session_sites (session_id, facility_id) SELECT $1, unnest($2::uuid[])`,
      [id, s.facilityIds],
    );
    await this.book(m, id, s.startsAt, s.endsAt, s.participantIds, s.facilityIds);
    await this.recordChange(m, id, 'booked', s.startsAt, s.endsAt, s.createdBy, null);
    return id;
  }

  /**
   * An exclusion constraint inserts first and checks after, so two transactions booking the same
   * party can each wait for the other's uncommitted row: a deadlock (40P01), seen at 1,000
   * concurrent attempts. Taking a transaction-scoped advisory lock per party first, in one sorted
   * order, makes concurrent bookings of a party queue instead; the constraint still decides.
   */
  async book(
    m: EntityManager,
    sessionId: string,
    startsAt: string,
    endsAt: string,
    userIds: string[],
    facilityIds: string[],
  ): Promise<void> {
    const parties = [
      ...userIds.map((id) => `user:${id}`),
      ...facilityIds.map((id) => `site:${id}`),
    ].sort();
    for (const party of parties)
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [party]);
    await m.query(
      `INSERT INTO session_bookings (session_id, user_id, facility_id, during)
       SELECT $1::uuid, u, NULL::uuid, tstzrange($2::timestamptz, $3::timestamptz, '[)') FROM unnest($4::uuid[]) AS u
       UNION ALL
       SELECT $1::uuid, NULL::uuid, f, tstzrange($2::timestamptz, $3::timestamptz, '[)') FROM unnest($5::uuid[]) AS f`,
      [sessionId, startsAt, endsAt, [...userIds].sort(), [...facilityIds].sort()],
    );
  }

  /** Cancelled bookings stay as history and no longer count for the exclusion constraint. */
  async releaseBookings(m: EntityManager, sessionId: string): Promise<void> {
    await m.query(
      `UPDATE session_bookings SET cancelled = true WHERE session_id = $1 AND NOT cancelled`,
      [sessionId],
    );
  }

  async recordChange(
    m: EntityManager,
    sessionId: string,
    kind: SessionChangeKind,
    startsAt: string | Date,
    endsAt: string | Date,
    actorId: string | null,
    reason: string | null,
  ) {
    await m.query(
      `INSERT INTO session_changes (session_id, kind, starts_at, ends_at, actor_id, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [sessionId, kind, startsAt, endsAt, actorId, reason],
    );
  }

  /** The live bookings that stand in the way of [startsAt, endsAt) for these people and sites. */
  async conflicts(
    userIds: string[],
    facilityIds: string[],
    startsAt: string,
    endsAt: string,
    exceptSessionId?: string,
  ): Promise<BookingConflict[]> {
    const rows = await this.db.query(
      `SELECT session_id, user_id, facility_id, lower(during) AS starts_at, upper(during) AS ends_at FROM session_bookings
        WHERE NOT cancelled AND during && tstzrange($3::timestamptz, $4::timestamptz, '[)')
          AND (user_id = ANY($1::uuid[]) OR facility_id = ANY($2::uuid[]))
          AND ($5::uuid IS NULL OR session_id <> $5)
        ORDER BY lower(during)`,
      [userIds, facilityIds, startsAt, endsAt, exceptSessionId ?? null],
    );
    return rows.map((r: Record<string, unknown>) => ({
      sessionId: r.session_id as string,
      userId: (r.user_id as string) ?? null,
      facilityId: (r.facility_id as string) ?? null,
      startsAt: (r.starts_at as Date).toISOString(),
      endsAt: (r.ends_at as Date).toISOString(),
    }));
  }
}
