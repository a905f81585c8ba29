import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account security: a forced password change (first sign-in of a CLI-created admin, after an
 * admin reset), TOTP second factor with one-time recovery codes (stored hashed), and the start of
 * each sign-in so a refresh-token family has an absolute lifetime.
 */
export class AccountSecurity1764100000000 implements MigrationInterface {
  name = 'AccountSecurity1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_enabled_at timestamptz,
        ADD COLUMN totp_last_step bigint`);
    await q.query(`
      CREATE TABLE mfa_recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX mfa_recovery_codes_user_idx ON mfa_recovery_codes (user_id)`);
    await q.query(
      `ALTER TABLE refresh_tokens ADD COLUMN session_started_at timestamptz NOT NULL DEFAULT now()`,
    );
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refresh_tokens_user_idx`);
    await q.query(`ALTER TABLE refresh_tokens DROP COLUMN session_started_at`);
    await q.query(`DROP TABLE mfa_recovery_codes`);
    await q.query(`
      ALTER TABLE users
        DROP COLUMN must_change_password, DROP COLUMN totp_secret,
        DROP COLUMN totp_enabled_at, DROP COLUMN totp_last_step`);
  }
}
