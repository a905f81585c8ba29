import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  FINAL_CONSULTATION_STATUSES,
  type ConsultationListQuery,
  type ConsultationMode,
  type ConsultationStatus,
  type ConsultationView,
  type CreateConsultation,
  type List,
  type Sex,
  type TransitionRecord,
  type Urgency,
} from '@caunoi/shared';
import { ConsultationScope, sideFilter } from '../access/consultation-scope';
import type { AuthUser } from '../auth/current-user';
import { rowsOf } from '../common/sql';

const SELECT = `SELECT c.id, c.status, c.status_reason, c.urgency, c.mode, c.specialty, c.summary, c.question,
    c.submitted_at, c.created_at, c.updated_at,
    p.id AS patient_id, p.full_name AS patient_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS patient_dob, p.sex AS patient_sex,
    rf.id AS rf_id, rf.name AS rf_name, tf.id AS tf_id, tf.name AS tf_name, u.id AS requester_id, u.full_name AS requester_name
  FROM consultations c
  JOIN patients p ON p.id = c.patient_id
  JOIN facilities rf ON rf.id = c.requesting_facility_id
  JOIN facilities tf ON tf.id = c.target_facility_id
  JOIN users u ON u.id = c.requester_id`;

/** The list's first sort key; the same expression backs the list indexes (keep them in step). */
const URGENCY_RANK = `array_position(ARRAY['emergency','urgent','routine'], c.urgency)`;

const iso = (d: unknown) => (d ? (d as Date).toISOString() : null);

const toView = (r: Record<string, unknown>): ConsultationView => ({
  id: r.id as string,
  status: r.status as ConsultationStatus,
  statusReason: (r.status_reason as string) ?? null,
  urgency: r.urgency as Urgency,
  mode: r.mode as ConsultationMode,
  specialty: r.specialty as string,
  summary: r.summary as string,
  question: r.question as string,
  patient: {
    id: r.patient_id as string,
    fullName: r.patient_name as string,
    dateOfBirth: r.patient_dob as string,
    sex: r.patient_sex as Sex,
  },
  patientId: r.patient_id as string,
  requestingFacilityId: r.rf_id as string,
  targetFacilityId: r.tf_id as string,
  requesterId: r.requester_id as string,
  requestingFacility: { id: r.rf_id as string, name: r.rf_name as string },
  targetFacility: { id: r.tf_id as string, name: r.tf_name as string },
  requester: { id: r.requester_id as string, fullName: r.requester_name as string },
  submittedAt: iso(r.submitted_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
});

@Injectable()
export class ConsultationsRepository {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ConsultationScope) private readonly scope: ConsultationScope,
  ) {}

  async create(input: CreateConsultation, requester: AuthUser): Promise<string> {
    return this.db.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO consultations (patient_id, requesting_facility_id, requester_id, target_facility_id, specialty, urgency, summary, question, mode)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          input.patientId,
          requester.facilityId,
          requester.id,
          input.targetFacilityId,
          input.specialty,
          input.urgency,
          input.summary,
          input.question,
          input.mode ?? 'live',
        ],
      );
      await m.query(
        `INSERT INTO consultation_transitions (consultation_id, from_status, to_status, actor_id) VALUES ($1, NULL, 'draft', $2)`,
        [row.id, requester.id],
      );
      return row.id as string;
    });
  }

  async findById(id: string): Promise<ConsultationView | null> {
    const rows = await this.db.query(`${SELECT} WHERE c.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /**
   * The queue: only consultations in the user's scope; most urgent first, then oldest submission.
   * The scope's arms are disjoint and queried separately (UNION ALL), each in the list's order
   * from its own index (migration 1764000000000-ListOrderIndexes: requesting or target facility,
   * with or without status, then urgency rank, submitted_at, created_at) and cut at offset +
   * limit, so a page reads about one page per arm; only the page's rows are joined to patients,
   * facilities and users. The total adds up the arms' counts (no joins).
   */
  async list(user: AuthUser, q: ConsultationListQuery): Promise<Required<List<ConsultationView>>> {
    const params: unknown[] = [q.status ?? null, q.urgency ?? null, q.specialty ?? null];
    const scope = this.scope.arms(user, 'c', params.length);
    params.push(...scope.params);
    let side = '';
    if (q.role) {
      const f = sideFilter(q.role, user, 'c', params.length);
      params.push(...f.params);
      side = `AND ${f.sql}`;
    }
    // The last line restates the urgency filter on the indexed rank, so ?urgency= reads its slice
    // of the order index instead of skipping the more urgent rows.
    const filters = `${side}
      AND ($1::text IS NULL OR c.status = $1) AND ($2::text IS NULL OR c.urgency = $2) AND ($3::text IS NULL OR c.specialty = $3)
      AND ($2::text IS NULL OR ${URGENCY_RANK} = array_position(ARRAY['emergency','urgent','routine'], $2::text))`;
    const n = params.length;
    const limit = `$${n + 1}::int`;
    const offset = `$${n + 2}::int`;
    const arms = scope.arms.map(
      (
        arm,
      ) => `(SELECT c.id, ${URGENCY_RANK} AS rank, c.submitted_at, c.created_at FROM consultations c
          WHERE ${arm} ${filters}
          ORDER BY ${URGENCY_RANK}, c.submitted_at ASC NULLS LAST, c.created_at LIMIT ${limit} + ${offset})`,
    );
    const rows = await this.db.query(
      `WITH page AS (
         SELECT * FROM (${arms.join('\n UNION ALL ')}) a
          ORDER BY a.rank, a.submitted_at ASC NULLS LAST, a.created_at LIMIT ${limit} OFFSET ${offset}
       )
       ${SELECT} JOIN page ON page.id = c.id
       ORDER BY page.rank, page.submitted_at ASC NULLS LAST, page.created_at`,
      [...params, q.limit, q.offset],
    );
    const counts = scope.arms.map(
      (arm) => `(SELECT count(*) FROM consultations c WHERE ${arm} ${filters})`,
    );
    const [{ total }] = await this.db.query(`SELECT (${counts.join(' + ')})::int AS total`, params);
    return { items: rows.map(toView), total };
  }

  /**
   * Moves the state only if it is still `from` (a concurrent move wins once), and records who
   * and when in consultation_transitions. Pass a manager to join an outer transaction.
   */
  async transition(
    id: string,
    from: ConsultationStatus,
    to: ConsultationStatus,
    actorId: string | null,
    reason: string | null,
    manager?: EntityManager,
  ): Promise<boolean> {
    const run = async (m: EntityManager) => {
      const updated = rowsOf(
        await m.query(
          `UPDATE consultations SET status = $3, updated_at = now(),
              status_reason = CASE WHEN $4::text IS NOT NULL THEN $4 ELSE status_reason END,
              submitted_at = CASE WHEN $3 = 'submitted' THEN now() ELSE submitted_at END,
              closed_at = CASE WHEN $3 = ANY($5::text[]) THEN now() ELSE closed_at END
            WHERE id = $1 AND status = $2 RETURNING id`,
          [id, from, to, reason, FINAL_CONSULTATION_STATUSES],
        ),
      );
      if (updated.length === 0) return false;
      await m.query(
        `INSERT INTO consultation_transitions (consultation_id, from_status, to_status, actor_id, reason) VALUES ($1, $2, $3, $4, $5)`,
        [id, from, to, actorId, reason],
      );
      return true;
    };
    return manager ? run(manager) : this.db.transaction(run);
  }

  async history(id: string): Promise<TransitionRecord[]> {
    const rows = await this.db.query(
      `SELECT t.from_status, t.to_status, t.reason, t.at, u.id AS user_id, u.full_name
         FROM consultation_transitions t LEFT JOIN users u ON u.id = t.actor_id
        WHERE t.consultation_id = $1 ORDER BY t.at, t.id`,
      [id],
    );
    return rows.map((r: Record<string, unknown>) => ({
      from: (r.from_status as ConsultationStatus) ?? null,
      to: r.to_status as ConsultationStatus,
      reason: (r.reason as string) ?? null,
      at: iso(r.at)!,
      actor: r.user_id ? { id: r.user_id as string, fullName: r.full_name as string } : null,
    }));
  }
}
