import { Client, Pool } from 'pg';
import { AuditService } from '../src/audit/audit.service';
import { registerPatient } from './support/fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

/**
 * Audit rows of concurrent reads are group-committed (one INSERT and one commit for many
 * requests), yet every read's row is committed before its answer leaves, and a failed flush
 * fails the reads in it instead of answering without a row.
 */
describe('audit group commit', () => {
  let t: TestApp;
  let pg: Pool;
  const patients: string[] = [];
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  const readsOf = async (patientId: string) =>
    (
      await pg.query(
        `SELECT xmin::text AS tx FROM audit_events WHERE action = 'patient.read' AND patient_id = $1`,
        [patientId],
      )
    ).rows as { tx: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    for (let i = 0; i < 40; i++)
      patients.push((await registerPatient(t, { fullName: `Bệnh Nhân Đọc ${i}` })).id);
    // A connection of its own: what it sees is committed, not the app's transaction.
    pg = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
  }, 120_000);
  afterAll(async () => {
    await pg?.end();
    await t?.close();
  });

  it('every concurrent read has its committed row when its answer arrives, in fewer commits than reads', async () => {
    const seenAtAnswer = await Promise.all(
      patients.map(async (id) => {
        const res = await t.http().get(`/api/patients/${id}`).set(d1());
        expect(res.status).toBe(200);
        return (await readsOf(id)).length;
      }),
    );
    expect(seenAtAnswer).toEqual(patients.map(() => 1));
    const txs = new Set<string>();
    for (const id of patients) for (const r of await readsOf(id)) txs.add(r.tx);
    // 40 reads within milliseconds of each other share commits.
    expect(txs.size).toBeLessThan(patients.length);
  });

  it('a read whose flush loses its connection is answered 503, without a row; the next read is audited', async () => {
    const id = patients[0];
    const before = (await readsOf(id)).length;
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      // Hold the table so the flush waits, then cut the connection it waits on.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE audit_events IN ACCESS EXCLUSIVE MODE');
      const answer = t
        .http()
        .get(`/api/patients/${id}`)
        .set(d1())
        .then((r) => r);
      let flushPid: number | undefined;
      for (let i = 0; i < 200 && !flushPid; i++) {
        const { rows } = await pg.query(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
              AND query LIKE 'INSERT INTO audit_events%'`,
        );
        flushPid = rows[0]?.pid;
        if (!flushPid) await new Promise((r) => setTimeout(r, 25));
      }
      expect(flushPid).toBeDefined();
      await pg.query('SELECT pg_terminate_backend($1)', [flushPid]);
      const res = await answer;
      expect(res.status).toBe(503);
      expect(res.body.fullName).toBeUndefined();
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      await blocker.end();
    }
    expect((await readsOf(id)).length).toBe(before);
    await t.http().get(`/api/patients/${id}`).set(d1()).expect(200);
    expect((await readsOf(id)).length).toBe(before + 1);
  });

  it('one row the database refuses fails only its own caller, not the rest of the batch', async () => {
    const audit = t.app.get(AuditService);
    const good = patients.slice(1, 6);
    const results = await Promise.allSettled([
      ...good.map((id) =>
        audit.record(null, 'batch.probe', { type: 'patient', id, patientId: id }),
      ),
      // Not a uuid: PostgreSQL refuses the whole statement it is in.
      audit.record(null, 'batch.probe', { type: 'patient', id: 'x', patientId: 'not-a-uuid' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([...good.map(() => 'fulfilled'), 'rejected']);
    const { rows } = await pg.query(
      `SELECT patient_id FROM audit_events WHERE action = 'batch.probe' ORDER BY patient_id`,
    );
    expect(rows.map((r) => r.patient_id)).toEqual([...good].sort());
  });
});
