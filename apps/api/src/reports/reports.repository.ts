import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  FacilityLevel,
  SessionsPerFacilityRow,
  TimeToSessionRow,
  Urgency,
} from '@caunoi/shared';

export interface ReportFilter {
  from: string | null;
  to: string | null;
  facilityId: string | null;
}

@Injectable()
export class ReportsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Sessions (not cancelled) per participating site and calendar month in Vietnam time. */
  async sessionsPerFacilityAndMonth(f: ReportFilter): Promise<SessionsPerFacilityRow[]> {
    const rows = await this.db.query(
      `SELECT f.id AS facility_id, f.name AS facility_name, f.level,
              to_char(s.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') AS month, count(DISTINCT s.id)::int AS sessions
         FROM sessions s JOIN session_sites ss ON ss.session_id = s.id JOIN facilities f ON f.id = ss.facility_id
        WHERE s.status <> 'cancelled'
          AND ($1::timestamptz IS NULL OR s.starts_at >= $1) AND ($2::timestamptz IS NULL OR s.starts_at < $2)
          AND ($3::uuid IS NULL OR f.id = $3)
        GROUP BY f.id, month ORDER BY month, f.name`,
      [f.from, f.to, f.facilityId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      facilityId: r.facility_id as string,
      facilityName: r.facility_name as string,
      level: r.level as FacilityLevel,
      month: r.month as string,
      sessions: r.sessions as number,
    }));
  }

  /**
   * Median hours from submission to the start of the first (not cancelled) session, by urgency.
   * `facilityId` restricts to requests addressed to that facility.
   */
  async timeToSessionByUrgency(f: ReportFilter): Promise<TimeToSessionRow[]> {
    const rows = await this.db.query(
      `WITH firsts AS (
         SELECT c.id, c.urgency, c.submitted_at, min(s.starts_at) AS first_session
           FROM consultations c
           JOIN session_consultations sc ON sc.consultation_id = c.id
           JOIN sessions s ON s.id = sc.session_id AND s.status <> 'cancelled'
          WHERE c.submitted_at IS NOT NULL AND ($3::uuid IS NULL OR c.target_facility_id = $3)
            AND ($1::timestamptz IS NULL OR c.submitted_at >= $1) AND ($2::timestamptz IS NULL OR c.submitted_at < $2)
          GROUP BY c.id)
       SELECT urgency, count(*)::int AS consultations,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_session - submitted_at)) / 3600 AS median_hours
         FROM firsts GROUP BY urgency
        ORDER BY array_position(ARRAY['emergency','urgent','routine'], urgency)`,
      [f.from, f.to, f.facilityId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      urgency: r.urgency as Urgency,
      consultations: r.consultations as number,
      medianHours: Math.round(Number(r.median_hours) * 100) / 100,
    }));
  }
}
