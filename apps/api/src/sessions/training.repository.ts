import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@caunoi/shared';
import { DataSource, EntityManager } from 'typeorm';

export interface NewTrainingSession {
  title: string;
  startsAt: string;
  endsAt: string;
  organiserFacilityId: string | null;
  createdBy: string;
  presenterId: string;
  facilityIds: string[];
  openToNetwork: boolean;
}

/** One stay of one person in the media room (as the SFU reported it), with who and where. */
export interface AttendanceStay {
  userId: string;
  fullName: string;
  roles: Role[];
  facilityCode: string;
  facilityName: string;
  joinedAt: Date;
  leftAt: Date | null;
}

/** The SQL of tele-education sessions (SessionsRepository holds the rest of a session's). */
@Injectable()
export class TrainingRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * The session, its invited sites, and as participants the presenter, the organiser and every
   * active clinician or coordinator of the invited facilities (of all of them when open to the
   * network) at the time of booking. Returns the id; bookings are left to the caller.
   */
  async insert(m: EntityManager, s: NewTrainingSession): Promise<string> {
    const [row] = await m.query(
      `INSERT INTO sessions (title, starts_at, ends_at, organiser_facility_id, created_by, kind, presenter_id, open_to_network)
       VALUES ($1, $2, $3, $4, $5, 'training', $6, $7) RETURNING id`,
      [
        s.title,
        s.startsAt,
        s.endsAt,
        s.organiserFacilityId,
        s.createdBy,
        s.presenterId,
        s.openToNetwork,
      ],
    );
    const id = row.id as string;
    await m.query(
      `INSERT INTO session_sites (session_id, facility_id) SELECT $1, unnest($2::uuid[])`,
      [id, s.openToNetwork ? [] : s.facilityIds],
    );
    await m.query(
      `INSERT INTO session_participants (session_id, user_id)
       SELECT $1, u.id FROM users u
        WHERE u.id IN ($2::uuid, $3::uuid)
           OR (u.active AND NOT ('admin' = ANY(u.roles)) AND u.facility_id IS NOT NULL
               AND ($4::boolean OR u.facility_id = ANY($5::uuid[])))
       ON CONFLICT DO NOTHING`,
      [id, s.presenterId, s.createdBy, s.openToNetwork, s.facilityIds],
    );
    return id;
  }

  /** Every stay in the room, by facility, person and time. */
  async stays(sessionId: string): Promise<AttendanceStay[]> {
    const rows = await this.db.query(
      `SELECT a.user_id, u.full_name, u.roles, f.code AS facility_code, f.name AS facility_name, a.joined_at, a.left_at
         FROM attendance a JOIN users u ON u.id = a.user_id LEFT JOIN facilities f ON f.id = u.facility_id
        WHERE a.session_id = $1
        ORDER BY f.name NULLS LAST, u.full_name, a.user_id, a.joined_at`,
      [sessionId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      userId: r.user_id as string,
      fullName: r.full_name as string,
      roles: r.roles as Role[],
      facilityCode: (r.facility_code as string) ?? '',
      facilityName: (r.facility_name as string) ?? '',
      joinedAt: r.joined_at as Date,
      leftAt: (r.left_at as Date) ?? null,
    }));
  }
}
