import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vietnamese users often type names without diacritics ("trinh" for "Trịnh"). `search_fold(text)`
 * lower-cases and strips accents; `unaccent` leaves đ/Đ alone (a distinct letter, not a d with a
 * mark), so it is mapped to d explicitly. The function is IMMUTABLE (the dictionary is named with
 * its schema) so it can back trigram expression indexes for `ILIKE '%…%'`-style lookups.
 * Both extensions are in PostgreSQL's contrib (the embedded test server ships them too).
 */
export class AccentInsensitiveSearch1763990000003 implements MigrationInterface {
  name = 'AccentInsensitiveSearch1763990000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await q.query(`
      CREATE FUNCTION search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT lower(translate(public.unaccent('public.unaccent'::regdictionary, $1), 'đĐ', 'dd'))
      $$`);
    await q.query(
      `CREATE INDEX patients_full_name_fold_trgm ON patients USING gin (search_fold(full_name) public.gin_trgm_ops)`,
    );
    await q.query(
      `CREATE INDEX users_full_name_fold_trgm ON users USING gin (search_fold(full_name) public.gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS users_full_name_fold_trgm`);
    await q.query(`DROP INDEX IF EXISTS patients_full_name_fold_trgm`);
    await q.query(`DROP FUNCTION IF EXISTS search_fold(text)`);
  }
}
