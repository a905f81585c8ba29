import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowsOf } from '../common/sql';

/** The TOTP secret and recovery codes of an account: SQL only, the rules are in SecondFactorService. */
@Injectable()
export class SecondFactorRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async totpOf(
    userId: string,
  ): Promise<{ secret: string | null; enabledAt: Date | null; lastStep: number | null }> {
    const [r] = await this.db.query(
      `SELECT totp_secret, totp_enabled_at, totp_last_step FROM users WHERE id = $1`,
      [userId],
    );
    return {
      secret: r?.totp_secret ?? null,
      enabledAt: r?.totp_enabled_at ?? null,
      lastStep: r?.totp_last_step != null ? Number(r.totp_last_step) : null,
    };
  }

  /** A new, not yet active secret (enrolment restarts; an active factor stays until verified). */
  async savePendingSecret(userId: string, secret: string): Promise<void> {
    await this.db.query(
      `UPDATE users SET totp_secret = $2, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1`,
      [userId, secret],
    );
  }

  /**
   * Records the time step of an accepted code, atomically refusing one at or before the last
   * accepted step: a code works once, also under parallel requests.
   */
  async claimStep(userId: string, step: number, activate: boolean): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE users SET totp_last_step = $2,
           totp_enabled_at = CASE WHEN $3::boolean THEN now() ELSE totp_enabled_at END
         WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
        [userId, step, activate],
      ),
    );
    return rows.length === 1;
  }

  async replaceRecoveryCodes(userId: string, hashes: string[]): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query(`DELETE FROM mfa_recovery_codes WHERE user_id = $1`, [userId]);
      await m.query(
        `INSERT INTO mfa_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`,
        [userId, hashes],
      );
    });
  }

  /** Uses up a recovery code; false when it is unknown or was used already. */
  async useRecoveryCode(userId: string, hash: string): Promise<boolean> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE mfa_recovery_codes SET used_at = now()
          WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
        [userId, hash],
      ),
    );
    return rows.length === 1;
  }
}
