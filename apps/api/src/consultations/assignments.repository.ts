import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ConsultationMode, PersonRef } from '@caunoi/shared';

/** Who is assigned to a case, and the case's mode. */
@Injectable()
export class AssignmentsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async assigned(consultationId: string): Promise<PersonRef[]> {
    return this.db.query(
      `SELECT u.id, u.full_name AS "fullName" FROM consultation_assignments a JOIN users u ON u.id = a.user_id
        WHERE a.consultation_id = $1 ORDER BY a.assigned_at, u.full_name`,
      [consultationId],
    );
  }

  async isAssigned(consultationId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM consultation_assignments WHERE consultation_id = $1 AND user_id = $2`,
      [consultationId, userId],
    );
    return rows.length > 0;
  }

  /** The ids among `ids` that are active specialists of `facilityId`. */
  async specialistsOf(facilityId: string, ids: string[]): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT id FROM users WHERE id = ANY($1) AND facility_id = $2 AND active AND 'specialist' = ANY(roles)`,
      [ids, facilityId],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  /** Adds the assignments (already assigned ones are kept); returns the newly assigned ids. */
  async assign(
    consultationId: string,
    userIds: string[],
    by: string,
    m: EntityManager = this.db.manager,
  ): Promise<string[]> {
    const rows = await m.query(
      `INSERT INTO consultation_assignments (consultation_id, user_id, assigned_by)
       SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING RETURNING user_id`,
      [consultationId, userIds, by],
    );
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  async modeOf(consultationId: string): Promise<ConsultationMode | null> {
    const [row] = await this.db.query(`SELECT mode FROM consultations WHERE id = $1`, [
      consultationId,
    ]);
    return row?.mode ?? null;
  }

  async setMode(consultationId: string, mode: ConsultationMode): Promise<void> {
    await this.db.query(`UPDATE consultations SET mode = $2, updated_at = now() WHERE id = $1`, [
      consultationId,
      mode,
    ]);
  }
}
