import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowsOf } from '../common/sql';

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  /** When the password was entered for this sign-in (the family's absolute lifetime counts from it). */
  sessionStartedAt: Date;
}

const toRecord = (r: Record<string, unknown>): RefreshTokenRecord => ({
  id: r.id as string,
  userId: r.user_id as string,
  familyId: r.family_id as string,
  expiresAt: r.expires_at as Date,
  usedAt: (r.used_at as Date) ?? null,
  revokedAt: (r.revoked_at as Date) ?? null,
  sessionStartedAt: r.session_started_at as Date,
});

@Injectable()
export class RefreshTokenRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async insert(t: {
    userId: string;
    familyId: string;
    tokenHash: string;
    expiresAt: Date;
    sessionStartedAt: Date;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, session_started_at) VALUES ($1, $2, $3, $4, $5)`,
      [t.userId, t.familyId, t.tokenHash, t.expiresAt, t.sessionStartedAt],
    );
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const rows = await this.db.query(`SELECT * FROM refresh_tokens WHERE token_hash = $1`, [
      tokenHash,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Marks a token used, atomically: of two concurrent refreshes with one token only one wins,
   * the other sees no row and is treated as reuse.
   */
  async markUsed(id: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE refresh_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING id`,
        [id],
      ),
    );
    return rows.length === 1;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.db.query(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
  }

  async revokeAllOfUser(userId: string, keepFamilyId?: string): Promise<void> {
    await this.db.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2)`,
      [userId, keepFamilyId ?? null],
    );
  }

  /** Whether the sign-in still has a live (unrevoked, unexpired) refresh token. */
  async isSignInLive(familyId: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL AND expires_at > now() LIMIT 1`,
      [familyId],
    );
    return rows.length > 0;
  }
}
