import { Inject, Injectable } from '@nestjs/common';
import type {
  ConsultationStatus,
  Role,
  SessionChange,
  SessionChangeKind,
  SessionConsultation,
  SessionEndReason,
  SessionKind,
  SessionParticipant,
  SessionSite,
  SessionStatus,
  Urgency,
} from '@caunoi/shared';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../common/sql';

export interface SessionRow {
  id: string;
  title: string | null;
  status: SessionStatus;
  startsAt: Date;
  endsAt: Date;
  sequence: number;
  organiserFacilityId: string | null;
  openedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  endedAt: Date | null;
  endReason: SessionEndReason | null;
  kind: SessionKind;
  presenterId: string | null;
  openToNetwork: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `s.id, s.title, s.status, s.starts_at, s.ends_at, s.sequence, s.organiser_facility_id, s.opened_at,
  s.cancelled_at, s.cancel_reason, s.ended_at, s.end_reason, s.kind, s.presenter_id, s.open_to_network,
  s.created_by, s.created_at, s.updated_at`;

const toSession = (r: Record<string, unknown>): SessionRow => ({
  id: r.id as string,
  title: (r.title as string) ?? null,
  status: r.status as SessionRow['status'],
  startsAt: r.starts_at as Date,
  endsAt: r.ends_at as Date,
  sequence: r.sequence as number,
  organiserFacilityId: (r.organiser_facility_id as string) ?? null,
  openedAt: (r.opened_at as Date) ?? null,
  cancelledAt: (r.cancelled_at as Date) ?? null,
  cancelReason: (r.cancel_reason as string) ?? null,
  endedAt: (r.ended_at as Date) ?? null,
  endReason: (r.end_reason as SessionEndReason) ?? null,
  kind: r.kind as SessionKind,
  presenterId: (r.presenter_id as string) ?? null,
  openToNetwork: r.open_to_network === true,
  createdBy: (r.created_by as string) ?? null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

/**
 * The sessions themselves: one row, what it covers, who and which sites take part, its history,
 * and the lists a person sees. Booking (and the exclusion constraints) is in
 * session-bookings.repository.ts, attendance in attendance.repository.ts.
 */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async findById(id: string, m?: EntityManager, forUpdate = false): Promise<SessionRow | null> {
    const rows = await (m ?? this.db).query(
      `SELECT ${COLUMNS} FROM sessions s WHERE s.id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toSession(rows[0]) : null;
  }

  async move(m: EntityManager, id: string, startsAt: string, endsAt: string): Promise<void> {
    await m.query(
      `UPDATE sessions SET starts_at = $2, ends_at = $3, sequence = sequence + 1, updated_at = now() WHERE id = $1`,
      [id, startsAt, endsAt],
    );
  }

  async markCancelled(m: EntityManager, id: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE sessions SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2, sequence = sequence + 1, updated_at = now() WHERE id = $1`,
      [id, reason],
    );
  }

  /** scheduled → in_progress, once; true for the call that made the move. */
  async markStarted(m: EntityManager, id: string): Promise<boolean> {
    return (
      rowsOf(
        await m.query(
          `UPDATE sessions SET status = 'in_progress', updated_at = now() WHERE id = $1 AND status = 'scheduled' RETURNING id`,
          [id],
        ),
      ).length > 0
    );
  }

  async markOpened(id: string): Promise<void> {
    await this.db.query(
      `UPDATE sessions SET opened_at = COALESCE(opened_at, now()) WHERE id = $1`,
      [id],
    );
  }

  async consultations(id: string, m?: EntityManager): Promise<SessionConsultation[]> {
    const rows = await (m ?? this.db).query(
      `SELECT c.id, c.status, c.specialty, c.urgency, c.patient_id, p.full_name AS patient_name, c.target_facility_id
         FROM session_consultations sc JOIN consultations c ON c.id = sc.consultation_id JOIN patients p ON p.id = c.patient_id
        WHERE sc.session_id = $1 ORDER BY c.created_at`,
      [id],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      status: r.status as ConsultationStatus,
      specialty: r.specialty as string,
      urgency: r.urgency as Urgency,
      targetFacilityId: r.target_facility_id as string,
      patient: { id: r.patient_id as string, fullName: r.patient_name as string },
    }));
  }

  async participants(id: string): Promise<SessionParticipant[]> {
    const rows = await this.db.query(
      `SELECT u.id, u.full_name, u.roles, u.facility_id, f.name AS facility_name
         FROM session_participants sp JOIN users u ON u.id = sp.user_id LEFT JOIN facilities f ON f.id = u.facility_id
        WHERE sp.session_id = $1 ORDER BY u.full_name`,
      [id],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      fullName: r.full_name as string,
      roles: r.roles as Role[],
      facilityId: (r.facility_id as string) ?? null,
      facilityName: (r.facility_name as string) ?? '',
    }));
  }

  async sites(id: string): Promise<SessionSite[]> {
    return this.db.query(
      `SELECT f.id, f.name, f.code FROM session_sites ss JOIN facilities f ON f.id = ss.facility_id WHERE ss.session_id = $1 ORDER BY f.name`,
      [id],
    );
  }

  async history(id: string): Promise<SessionChange[]> {
    const rows = await this.db.query(
      `SELECT kind, starts_at, ends_at, actor_id, reason, at FROM session_changes WHERE session_id = $1 ORDER BY at, id`,
      [id],
    );
    return rows.map((r: Record<string, unknown>) => ({
      kind: r.kind as SessionChangeKind,
      startsAt: (r.starts_at as Date).toISOString(),
      endsAt: (r.ends_at as Date).toISOString(),
      actorId: (r.actor_id as string) ?? null,
      reason: (r.reason as string) ?? null,
      at: (r.at as Date).toISOString(),
    }));
  }

  async listVisible(q: {
    userId: string;
    organiserFacilityId: string | null;
    from?: string;
    to?: string;
    userIds: string[];
    includeCancelled: boolean;
    mineOnly: boolean;
  }) {
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM sessions s
        WHERE (EXISTS (SELECT 1 FROM session_participants sp WHERE sp.session_id = s.id AND sp.user_id = $1)
               OR (NOT $7::boolean AND $2::uuid IS NOT NULL AND s.organiser_facility_id = $2))
          AND ($3::timestamptz IS NULL OR s.ends_at > $3)
          AND ($4::timestamptz IS NULL OR s.starts_at < $4)
          AND (cardinality($5::uuid[]) = 0 OR EXISTS (SELECT 1 FROM session_participants sp2 WHERE sp2.session_id = s.id AND sp2.user_id = ANY($5::uuid[])))
          AND ($6::boolean OR s.status <> 'cancelled')
        ORDER BY s.starts_at LIMIT 500`,
      [
        q.userId,
        q.organiserFacilityId,
        q.from ?? null,
        q.to ?? null,
        q.userIds,
        q.includeCancelled,
        q.mineOnly,
      ],
    );
    return (rows as Record<string, unknown>[]).map(toSession);
  }

  /** Ids of participants and sites per session, for list views. */
  async partiesOf(
    sessionIds: string[],
  ): Promise<Map<string, { participantIds: string[]; facilityIds: string[] }>> {
    const rows: Array<{ id: string; participant_ids: string[]; facility_ids: string[] }> =
      await this.db.query(
        `SELECT s.id,
              ARRAY(SELECT user_id FROM session_participants WHERE session_id = s.id) AS participant_ids,
              ARRAY(SELECT facility_id FROM session_sites WHERE session_id = s.id) AS facility_ids
         FROM sessions s WHERE s.id = ANY($1::uuid[])`,
        [sessionIds],
      );
    return new Map(
      rows.map((r) => [r.id, { participantIds: r.participant_ids, facilityIds: r.facility_ids }]),
    );
  }

  async facilityName(facilityId: string | null): Promise<string> {
    if (!facilityId) return '';
    const rows = await this.db.query(`SELECT name FROM facilities WHERE id = $1`, [facilityId]);
    return rows[0]?.name ?? '';
  }
}
