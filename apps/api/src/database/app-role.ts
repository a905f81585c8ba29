import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.options';

/**
 * Two database roles: the owner that migrations run as (DDL, triggers), and the role the running
 * API connects as, which may only read and write rows. So a leaked application credential (or an
 * injection that slips through) cannot drop the triggers that keep the audit log append-only and
 * signed minutes immutable, truncate a table, or alter the schema.
 */

/** Tables whose rows the application may add to but never change or remove. */
const APPEND_ONLY = [
  'audit_events',
  'consultation_transitions',
  'session_changes',
  'patient_revisions',
];
/** Written by migrations alone. */
const READ_ONLY = ['schema_migrations'];

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The role named in a postgres:// URL (the user part). */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username || 'postgres');
}

/** Grants the application role exactly row-level access to every table the migrations made. */
export async function grantApplicationRole(owner: DataSource, appRole: string): Promise<void> {
  const role = quoteIdent(appRole);
  const tables: { name: string }[] = await owner.query(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
  );
  await owner.transaction(async (q) => {
    await q.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await q.query(`REVOKE ALL ON SCHEMA public FROM ${role}`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    for (const { name } of tables) {
      const table = `public.${quoteIdent(name)}`;
      await q.query(`REVOKE ALL ON ${table} FROM ${role}`);
      const rights = READ_ONLY.includes(name)
        ? 'SELECT'
        : APPEND_ONLY.includes(name)
          ? 'SELECT, INSERT'
          : 'SELECT, INSERT, UPDATE, DELETE';
      await q.query(`GRANT ${rights} ON ${table} TO ${role}`);
    }
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  });
}

/**
 * Applies pending migrations as the owner (`DATABASE_MIGRATION_URL`) and grants the application
 * role its rights; a no-op when the application connects as the owner itself (development, tests).
 */
export async function migrateAsOwner(migrationUrl: string, appUrl: string): Promise<void> {
  const owner = new DataSource(dataSourceOptions(migrationUrl));
  await owner.initialize(); // migrationsRun: pending migrations are applied here
  try {
    const appRole = roleOf(appUrl);
    if (appRole !== roleOf(migrationUrl)) await grantApplicationRole(owner, appRole);
  } finally {
    await owner.destroy();
  }
}
