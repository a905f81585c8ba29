import { submittedConsultation } from './support/fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

/**
 * Deployed as the README says: migrations run as the schema owner (DATABASE_MIGRATION_URL), the
 * API connects as a role with row rights only. `t.sql` runs on the API's own connection, so every
 * statement below is what a leaked application credential could try.
 */
describe('database roles: the application cannot change the schema or rewrite history', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, { separateAppRole: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs the golden path with row rights only', async () => {
    const [{ current_user: who }] = await t.sql<{ current_user: string }>('SELECT current_user');
    expect(who).toMatch(/_app$/);
    const c = await submittedConsultation(t);
    await t
      .http()
      .get(`/api/consultations/${c.id}`)
      .set(bearer(t.tokens['requester@district-1.demo']))
      .expect(200);
    const audit = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`);
    expect(audit[0].n).toBeGreaterThan(0);
  });

  it.each([
    ['drop the audit trigger', 'DROP TRIGGER audit_events_no_change ON audit_events'],
    ['disable the signed-minutes trigger', 'ALTER TABLE minutes DISABLE TRIGGER ALL'],
    ['truncate the audit log', 'TRUNCATE audit_events'],
    ['delete audit rows', 'DELETE FROM audit_events'],
    ['rewrite an audit row', `UPDATE audit_events SET action = 'x'`],
    ['rewrite the lifecycle history', `UPDATE consultation_transitions SET reason = 'x'`],
    ['create a table', 'CREATE TABLE evil (id int)'],
    ['fake a migration', `INSERT INTO schema_migrations (timestamp, name) VALUES (1, 'x')`],
    ['drop a table', 'DROP TABLE patients'],
  ])('refuses to %s', async (_what, statement) => {
    await expect(t.sql(statement)).rejects.toThrow(/permission denied|must be owner/);
  });
});
