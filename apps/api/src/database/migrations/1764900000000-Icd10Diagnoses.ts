import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coded conclusions: the ICD-10 catalogue an admin imports (the Ministry's list: code, Vietnamese
 * and English names), and the diagnoses of each minutes version. The diagnoses live in the minutes
 * row itself, names frozen at saving, so the signed-minutes trigger keeps them immutable too.
 */
export class Icd10Diagnoses1764900000000 implements MigrationInterface {
  name = 'Icd10Diagnoses1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE icd10_codes (
        code text PRIMARY KEY CHECK (code ~ '^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$'),
        name_vi text NOT NULL,
        name_en text,
        chapter text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX icd10_codes_name_idx ON icd10_codes USING gin (search_fold(name_vi) public.gin_trgm_ops)`,
    );
    await q.query(`ALTER TABLE minutes ADD COLUMN diagnoses jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE minutes DROP COLUMN IF EXISTS diagnoses`);
    await q.query(`DROP TABLE IF EXISTS icd10_codes`);
  }
}
