import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Remembers who has published a weekly pattern at all: an empty week someone saved means
 * "never available" (except on call), while never having published means "unknown, treat as
 * available" — without this row the two look the same.
 */
export class AvailabilityPatterns1763990000001 implements MigrationInterface {
  name = 'AvailabilityPatterns1763990000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE availability_patterns (
        id bigserial PRIMARY KEY,
        user_id uuid UNIQUE REFERENCES users(id) ON DELETE CASCADE,
        facility_id uuid UNIQUE REFERENCES facilities(id) ON DELETE CASCADE,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT availability_patterns_owner CHECK ((user_id IS NULL) <> (facility_id IS NULL))
      )`);
    // Whoever already has rules has published.
    await q.query(
      `INSERT INTO availability_patterns (user_id) SELECT DISTINCT user_id FROM availability_rules WHERE user_id IS NOT NULL`,
    );
    await q.query(
      `INSERT INTO availability_patterns (facility_id) SELECT DISTINCT facility_id FROM availability_rules WHERE facility_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS availability_patterns`);
  }
}
