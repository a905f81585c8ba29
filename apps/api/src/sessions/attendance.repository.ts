import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowsOf } from '../common/sql';

/** Who was in the media room, as the SFU reports it; a repeated report changes nothing. */
@Injectable()
export class AttendanceRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** False when this peer's join was already recorded. */
  async joined(sessionId: string, userId: string, peerId: string, at: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO attendance (session_id, user_id, peer_id, joined_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id, peer_id) WHERE peer_id IS NOT NULL DO NOTHING RETURNING id`,
      [sessionId, userId, peerId, at],
    );
    return rows.length > 0;
  }

  /** False when the peer was not in the room (or its leave was already recorded). */
  async left(sessionId: string, userId: string, peerId: string, at: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE attendance SET left_at = $4 WHERE session_id = $1 AND user_id = $2 AND peer_id = $3 AND left_at IS NULL RETURNING id`,
        [sessionId, userId, peerId, at],
      ),
    );
    return rows.length > 0;
  }
}
