import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Session states are SESSION_STATUSES of libs/shared: scheduled, in_progress, ended, cancelled.
 * The first constraint also let 'completed' in, as a synonym of 'ended' that early seeds wrote;
 * such rows become 'ended' and the synonym is refused from now on.
 */
export class SessionStatusVocabulary1764300000000 implements MigrationInterface {
  name = 'SessionStatusVocabulary1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE sessions SET status = 'ended' WHERE status = 'completed'`);
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_status_known`);
    await q.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_status_known
      CHECK (status IN ('scheduled','in_progress','ended','cancelled'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_status_known`);
    await q.query(`ALTER TABLE sessions ADD CONSTRAINT sessions_status_known
      CHECK (status IN ('scheduled','in_progress','ended','completed','cancelled'))`);
  }
}
