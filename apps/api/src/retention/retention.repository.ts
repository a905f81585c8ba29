import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { exclusively } from '../database/advisory-lock';

/** Lock key of the purge job, so that of several API instances only one purges at a time. */
const PURGE_LOCK = 0x6361756e; // "caun"

@Injectable()
export class RetentionRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** Runs `work` holding the purge lock; null when another instance holds it. */
  exclusively<T>(work: () => Promise<T>): Promise<T | null> {
    return exclusively(this.db, PURGE_LOCK, work);
  }

  /** Refresh tokens that can no longer be used by anyone: expired, or used/revoked, a day ago. */
  async deleteDeadRefreshTokens(before: Date): Promise<number> {
    const rows = await this.db.query(
      `DELETE FROM refresh_tokens
        WHERE expires_at < $1 OR coalesce(revoked_at, used_at) < $1 RETURNING id`,
      [before],
    );
    return rows.length;
  }

  /** Closed consultations by whether their retention period has run out at `cutoff`. */
  async closedConsultations(
    cutoff: Date,
    finalStatuses: readonly string[],
  ): Promise<{ held: number; pastRetention: number }> {
    const [row] = await this.db.query(
      `SELECT count(*) FILTER (WHERE closed_at >= $1)::int AS held,
              count(*) FILTER (WHERE closed_at < $1)::int AS past
         FROM (SELECT c.id, coalesce(max(t.at), c.created_at) AS closed_at
                 FROM consultations c LEFT JOIN consultation_transitions t ON t.consultation_id = c.id
                WHERE c.status = ANY($2)
                GROUP BY c.id) closed`,
      [cutoff, finalStatuses],
    );
    return { held: row.held, pastRetention: row.past };
  }
}
