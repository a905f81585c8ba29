import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A draft is saved over and over under one version number; `revision` counts those saves, so the
 * chair's signature can name exactly the text they read (a save in between → 409).
 */
export class MinutesRevision1764400000001 implements MigrationInterface {
  name = 'MinutesRevision1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE minutes ADD COLUMN revision integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE minutes DROP COLUMN IF EXISTS revision`);
  }
}
