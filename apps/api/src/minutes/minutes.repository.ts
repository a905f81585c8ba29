import type { Diagnosis } from '@caunoi/shared';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type {
  MinutesInput,
  MinutesStatus,
  PresentParticipant,
  Role,
  SessionStatus,
} from '@caunoi/shared';
import { rowsOf } from '../common/sql';

export interface MinutesRecord {
  id: string;
  consultationId: string;
  version: number;
  /** saves of this version's draft (the chair signs the revision they read) */
  revision: number;
  status: MinutesStatus;
  summary: string;
  opinions: string;
  conclusion: string;
  recommendations: string;
  /** ICD-10 diagnoses with their names as saved (frozen with the signed row). */
  diagnoses: Diagnosis[];
  chairId: string;
  secretaryId: string | null;
  sessionId: string | null;
  participants: PresentParticipant[];
  supersedesId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  signedAt: string | null;
  signedBy: string | null;
}

export interface SessionSummary {
  id: string;
  startsAt: string;
  endsAt: string;
  status: SessionStatus;
  title: string | null;
}

const iso = (d: unknown) => (d ? (d as Date).toISOString() : null);
const toMinutes = (r: Record<string, unknown>): MinutesRecord => ({
  id: r.id as string,
  consultationId: r.consultation_id as string,
  version: r.version as number,
  revision: r.revision as number,
  status: r.status as MinutesRecord['status'],
  summary: r.summary as string,
  opinions: r.opinions as string,
  conclusion: r.conclusion as string,
  recommendations: r.recommendations as string,
  diagnoses: (r.diagnoses as Diagnosis[] | null) ?? [],
  chairId: r.chair_id as string,
  secretaryId: (r.secretary_id as string) ?? null,
  sessionId: (r.session_id as string) ?? null,
  participants: r.participants as PresentParticipant[],
  supersedesId: (r.supersedes_id as string) ?? null,
  createdBy: r.created_by as string,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  signedAt: iso(r.signed_at),
  signedBy: (r.signed_by as string) ?? null,
});

@Injectable()
export class MinutesRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async versions(consultationId: string): Promise<MinutesRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM minutes WHERE consultation_id = $1 ORDER BY version`,
      [consultationId],
    );
    return rows.map(toMinutes);
  }

  async draftOf(
    consultationId: string,
    m: EntityManager = this.db.manager,
  ): Promise<MinutesRecord | null> {
    const rows = await m.query(
      `SELECT * FROM minutes WHERE consultation_id = $1 AND status = 'draft' FOR UPDATE`,
      [consultationId],
    );
    return rows[0] ? toMinutes(rows[0]) : null;
  }

  async latestSigned(consultationId: string, version?: number): Promise<MinutesRecord | null> {
    const rows = await this.db.query(
      `SELECT * FROM minutes WHERE consultation_id = $1 AND status = 'signed' AND ($2::int IS NULL OR version = $2)
        ORDER BY version DESC LIMIT 1`,
      [consultationId, version ?? null],
    );
    return rows[0] ? toMinutes(rows[0]) : null;
  }

  /** Updates the open draft, or opens one as the next version (a correction supersedes the last signed one). */
  async saveDraft(
    consultationId: string,
    input: MinutesInput,
    sessionId: string | null,
    userId: string,
    /** null: keep what the draft (or, for a correction, the signed version) had */
    diagnoses: Diagnosis[] | null = null,
  ): Promise<MinutesRecord> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT id FROM consultations WHERE id = $1 FOR UPDATE`, [consultationId]);
      const draft = await this.draftOf(consultationId, m);
      const values = [
        input.summary,
        input.opinions,
        input.conclusion,
        input.recommendations,
        input.chairId,
        input.secretaryId ?? null,
      ];
      if (draft) {
        const [row] = rowsOf(
          await m.query(
            `UPDATE minutes SET summary = $2, opinions = $3, conclusion = $4, recommendations = $5, chair_id = $6,
                secretary_id = $7, diagnoses = coalesce($8::jsonb, diagnoses), revision = revision + 1,
                updated_at = now() WHERE id = $1 RETURNING *`,
            [draft.id, ...values, diagnoses === null ? null : JSON.stringify(diagnoses)],
          ),
        );
        return toMinutes(row);
      }
      const [prev] = await m.query(
        `SELECT id, version, diagnoses FROM minutes WHERE consultation_id = $1 ORDER BY version DESC LIMIT 1`,
        [consultationId],
      );
      const rows = await m.query(
        `INSERT INTO minutes (consultation_id, version, status, summary, opinions, conclusion, recommendations, chair_id,
           secretary_id, session_id, supersedes_id, created_by, diagnoses)
         VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
        [
          consultationId,
          (prev?.version ?? 0) + 1,
          ...values,
          sessionId,
          prev?.id ?? null,
          userId,
          JSON.stringify(diagnoses ?? prev?.diagnoses ?? []),
        ],
      );
      return toMinutes(rows[0]);
    });
  }

  /**
   * Runs `work` in a transaction holding the consultation's row lock, so that a sign and a save
   * of the same minutes never interleave. `work` receives the consultation's current status.
   */
  async withConsultationLocked<T>(
    consultationId: string,
    work: (m: EntityManager, status: string) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (m) => {
      const [row] = await m.query(`SELECT status FROM consultations WHERE id = $1 FOR UPDATE`, [
        consultationId,
      ]);
      return work(m, row.status);
    });
  }

  async markSigned(
    id: string,
    signedBy: string,
    participants: PresentParticipant[],
    m: EntityManager,
  ): Promise<MinutesRecord | null> {
    const [row] = rowsOf(
      await m.query(
        `UPDATE minutes SET status = 'signed', signed_at = now(), signed_by = $2, participants = $3, updated_at = now()
          WHERE id = $1 AND status = 'draft' RETURNING *`,
        [id, signedBy, JSON.stringify(participants)],
      ),
    );
    return row ? toMinutes(row) : null;
  }

  /**
   * Who was present: attendance of every session covering the consultation, one line per person;
   * for a written consultation, its assigned specialists (from their assignment).
   */
  async presentParticipants(
    consultationId: string,
    m: EntityManager = this.db.manager,
  ): Promise<PresentParticipant[]> {
    const rows = await m.query(
      `SELECT u.id, u.full_name, u.roles, u.license_number, f.id AS facility_id, f.name AS facility_name,
              min(a.joined_at) AS joined_at,
              CASE WHEN bool_or(a.left_at IS NULL) THEN NULL ELSE max(a.left_at) END AS left_at
         FROM session_consultations sc
         JOIN sessions s ON s.id = sc.session_id AND s.status <> 'cancelled'
         JOIN attendance a ON a.session_id = s.id
         JOIN users u ON u.id = a.user_id
         LEFT JOIN facilities f ON f.id = u.facility_id
        WHERE sc.consultation_id = $1
        GROUP BY u.id, f.id
       UNION ALL
       SELECT u.id, u.full_name, u.roles, u.license_number, f.id, f.name, ca.assigned_at, NULL
         FROM consultation_assignments ca
         JOIN consultations c ON c.id = ca.consultation_id AND c.mode = 'written'
         JOIN users u ON u.id = ca.user_id
         LEFT JOIN facilities f ON f.id = u.facility_id
        WHERE ca.consultation_id = $1
        ORDER BY 7, 2`,
      [consultationId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      userId: r.id as string,
      fullName: r.full_name as string,
      roles: r.roles as Role[],
      licenseNumber: (r.license_number as string) ?? null,
      facilityId: (r.facility_id as string) ?? null,
      facilityName: (r.facility_name as string) ?? null,
      joinedAt: iso(r.joined_at)!,
      leftAt: iso(r.left_at),
    }));
  }

  /** The session the minutes belong to: the latest one covering the consultation that was not cancelled. */
  async sessionOf(consultationId: string): Promise<SessionSummary | null> {
    const rows = await this.db.query(
      `SELECT s.id, s.starts_at, s.ends_at, s.status, s.title FROM sessions s
         JOIN session_consultations sc ON sc.session_id = s.id
        WHERE sc.consultation_id = $1 AND s.status <> 'cancelled' ORDER BY s.starts_at DESC LIMIT 1`,
      [consultationId],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          startsAt: iso(r.starts_at)!,
          endsAt: iso(r.ends_at)!,
          status: r.status,
          title: r.title ?? null,
        }
      : null;
  }

  /** Users who may chair or keep the minutes: invited to a covering session, or clinicians of the target facility. */
  async eligibleChairs(consultationId: string): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT sp.user_id AS id FROM session_participants sp
         JOIN session_consultations sc ON sc.session_id = sp.session_id
         JOIN sessions s ON s.id = sp.session_id AND s.status <> 'cancelled'
        WHERE sc.consultation_id = $1
       UNION
       SELECT u.id FROM users u JOIN consultations c ON c.target_facility_id = u.facility_id
        WHERE c.id = $1 AND u.active AND (u.roles && ARRAY['specialist','coordinator']::text[])`,
      [consultationId],
    );
    return rows.map((r: { id: string }) => r.id);
  }
}
