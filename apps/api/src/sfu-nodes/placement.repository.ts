import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOSED_SESSION_STATUSES } from '@caunoi/shared';

export interface Placement {
  sessionId: string;
  nodeId: string;
  sfuUrl: string;
  sfuPath: string | null;
  internalUrl: string;
  moves: number;
}

export interface PlacementTarget {
  nodeId: string;
  sfuUrl: string;
  sfuPath: string | null;
  internalUrl: string;
}

const COLUMNS = `session_id, node_id, sfu_url, sfu_path, internal_url, moves`;
const toPlacement = (r: Record<string, unknown>): Placement => ({
  sessionId: r.session_id as string,
  nodeId: r.node_id as string,
  sfuUrl: r.sfu_url as string,
  sfuPath: (r.sfu_path as string | null) ?? null,
  internalUrl: r.internal_url as string,
  moves: r.moves as number,
});

/** Where each session's room is: one row per session, written by the first join. SQL only. */
@Injectable()
export class PlacementRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async find(sessionId: string): Promise<Placement | null> {
    const [r] = await this.db.query(
      `SELECT ${COLUMNS} FROM session_placements WHERE session_id = $1`,
      [sessionId],
    );
    return r ? toPlacement(r) : null;
  }

  /** The first placement wins: a concurrent first join keeps the row already there. */
  async insert(sessionId: string, t: PlacementTarget): Promise<void> {
    await this.db.query(
      `INSERT INTO session_placements (session_id, node_id, sfu_url, sfu_path, internal_url)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id) DO NOTHING`,
      [sessionId, t.nodeId, t.sfuUrl, t.sfuPath, t.internalUrl],
    );
  }

  /** Moves the session off `fromNode` unless a concurrent join has already moved it. */
  async move(sessionId: string, fromNode: string, t: PlacementTarget): Promise<void> {
    await this.db.query(
      `UPDATE session_placements
          SET node_id = $3, sfu_url = $4, sfu_path = $5, internal_url = $6, placed_at = now(),
              moves = moves + 1
        WHERE session_id = $1 AND node_id = $2`,
      [sessionId, fromNode, t.nodeId, t.sfuUrl, t.sfuPath, t.internalUrl],
    );
  }

  /** Sessions placed per node that are still to be held (not ended or cancelled). */
  async activeCounts(): Promise<Map<string, number>> {
    const rows: { node_id: string; n: number }[] = await this.db.query(
      `SELECT p.node_id, count(*)::int AS n
         FROM session_placements p JOIN sessions s ON s.id = p.session_id
        WHERE s.status <> ALL($1::text[])
        GROUP BY p.node_id`,
      [CLOSED_SESSION_STATUSES],
    );
    return new Map(rows.map((r) => [r.node_id, r.n]));
  }

  /**
   * The region the session's room should be near: that of the facility its first case was sent
   * to (the specialists' side), else of the organising facility.
   */
  async regionOf(sessionId: string): Promise<string | null> {
    const [r] = await this.db.query(
      `SELECT COALESCE(
                (SELECT f.region FROM session_consultations sc
                   JOIN consultations c ON c.id = sc.consultation_id
                   JOIN facilities f ON f.id = c.target_facility_id
                  WHERE sc.session_id = s.id AND f.region IS NOT NULL
                  ORDER BY c.created_at LIMIT 1),
                (SELECT f.region FROM facilities f WHERE f.id = s.organiser_facility_id)) AS region
         FROM sessions s WHERE s.id = $1`,
      [sessionId],
    );
    return (r?.region as string | null) ?? null;
  }
}
