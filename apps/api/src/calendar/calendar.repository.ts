import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface FeedSession {
  id: string;
  title: string | null;
  status: string;
  startsAt: Date;
  endsAt: Date;
  sequence: number;
  updatedAt: Date;
  createdAt: Date;
  specialties: string[];
  organiser: string | null;
}

@Injectable()
export class CalendarRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /**
   * The user's feed token, created on first request. One statement (an upsert that returns the
   * row either way), so a concurrent rotation cannot delete the row between a write and a read.
   */
  async feedToken(userId: string): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO calendar_feeds (user_id, token) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET token = calendar_feeds.token
       RETURNING token`,
      [userId, randomBytes(32).toString('base64url')],
    );
    return row.token;
  }

  /** A new token replaces the old one in one statement (the old URL stops working at once). */
  async rotate(userId: string): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO calendar_feeds (user_id, token) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET token = EXCLUDED.token
       RETURNING token`,
      [userId, randomBytes(32).toString('base64url')],
    );
    return row.token;
  }

  async userByToken(token: string): Promise<{ id: string; fullName: string } | null> {
    const rows = await this.db.query(
      `SELECT u.id, u.full_name FROM calendar_feeds cf JOIN users u ON u.id = cf.user_id WHERE cf.token = $1 AND u.active`,
      [token],
    );
    return rows[0] ? { id: rows[0].id, fullName: rows[0].full_name } : null;
  }

  /** Sessions the user is invited to, cancelled ones included so calendar apps remove them. */
  async sessionsOf(userId: string): Promise<FeedSession[]> {
    const rows = await this.db.query(
      `SELECT s.id, s.title, s.status, s.starts_at, s.ends_at, s.sequence, s.updated_at, s.created_at, f.name AS organiser,
              ARRAY(SELECT DISTINCT c.specialty FROM session_consultations sc JOIN consultations c ON c.id = sc.consultation_id
                     WHERE sc.session_id = s.id) AS specialties
         FROM sessions s JOIN session_participants sp ON sp.session_id = s.id AND sp.user_id = $1
         LEFT JOIN facilities f ON f.id = s.organiser_facility_id
        WHERE s.ends_at > now() - interval '90 days'
        ORDER BY s.starts_at`,
      [userId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      title: (r.title as string) ?? null,
      status: r.status as string,
      startsAt: r.starts_at as Date,
      endsAt: r.ends_at as Date,
      sequence: r.sequence as number,
      updatedAt: r.updated_at as Date,
      createdAt: r.created_at as Date,
      specialties: r.specialties as string[],
      organiser: (r.organiser as string) ?? null,
    }));
  }
}
