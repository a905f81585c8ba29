import { MigrationInterface, QueryRunner } from 'typeorm';
import { SESSION_KINDS } from '@caunoi/shared';

/**
 * Tele-education sessions beside consultations: a kind (every existing session is a
 * consultation), the presenter, and whether the whole network is invited. A training session
 * covers no consultation: PostgreSQL refuses the link too, whatever the code above it does.
 */
export class TrainingSessions1765500000000 implements MigrationInterface {
  name = 'TrainingSessions1765500000000';

  async up(q: QueryRunner): Promise<void> {
    const kinds = SESSION_KINDS.map((k) => `'${k}'`).join(', ');
    await q.query(
      `ALTER TABLE sessions ADD COLUMN kind text NOT NULL DEFAULT 'consultation' CONSTRAINT sessions_kind_check CHECK (kind IN (${kinds}))`,
    );
    await q.query(`ALTER TABLE sessions ADD COLUMN presenter_id uuid REFERENCES users(id)`);
    await q.query(`ALTER TABLE sessions ADD COLUMN open_to_network boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE FUNCTION session_consultations_not_training() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM sessions WHERE id = NEW.session_id AND kind = 'training') THEN
          RAISE EXCEPTION 'a training session covers no consultation' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER session_consultations_not_training BEFORE INSERT OR UPDATE ON session_consultations
        FOR EACH ROW EXECUTE FUNCTION session_consultations_not_training()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TRIGGER IF EXISTS session_consultations_not_training ON session_consultations`,
    );
    await q.query(`DROP FUNCTION IF EXISTS session_consultations_not_training()`);
    await q.query(
      `ALTER TABLE sessions DROP COLUMN IF EXISTS open_to_network, DROP COLUMN IF EXISTS presenter_id, DROP COLUMN IF EXISTS kind`,
    );
  }
}
