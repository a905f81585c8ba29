import { MigrationInterface, QueryRunner } from 'typeorm';
import { CONSULTATION_MODES } from '@caunoi/shared';

/** Written (store-and-forward) consultations beside live ones; every existing request is live. */
export class ConsultationMode1765100000000 implements MigrationInterface {
  name = 'ConsultationMode1765100000000';

  async up(q: QueryRunner): Promise<void> {
    const modes = CONSULTATION_MODES.map((m) => `'${m}'`).join(', ');
    await q.query(
      `ALTER TABLE consultations ADD COLUMN mode text NOT NULL DEFAULT 'live' CONSTRAINT consultations_mode_check CHECK (mode IN (${modes}))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consultations DROP COLUMN IF EXISTS mode`);
  }
}
