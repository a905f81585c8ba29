import { scheduleSession, submittedConsultation } from './support/fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

describe('audit log', () => {
  let t: TestApp;
  let c: { id: string; patient: { id: string } };
  const admin = () => bearer(t.tokens['admin@caunoi.demo']);
  beforeAll(async () => {
    t = await startTestApp();
    c = await submittedConsultation(t);
    // specialists see a case once invited to one of its sessions
    await scheduleSession(t, c.id, [
      t.userIds['specialist1@central-a.demo'],
      t.userIds['specialist2@central-a.demo'],
    ]);
    await t
      .http()
      .get(`/api/consultations/${c.id}`)
      .set(bearer(t.tokens['specialist2@central-a.demo']))
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records reads of patient data with actor, action, target, patient, time and address', async () => {
    const rows = await t.sql<Record<string, unknown>>(
      `SELECT * FROM audit_events WHERE action = 'consultation.read' AND actor_id = $1 AND target_id = $2`,
      [t.userIds['specialist2@central-a.demo'], c.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ target_type: 'consultation', patient_id: c.patient.id });
    expect(rows[0].address).toEqual(expect.stringContaining('127.0.0.1'));
    expect(rows[0].at).toBeInstanceOf(Date);
  });

  it('list reads are audited per consultation shown', async () => {
    await t
      .http()
      .get('/api/consultations')
      .set(bearer(t.tokens['specialist1@central-a.demo']))
      .expect(200);
    const rows = await t.sql(
      `SELECT 1 FROM audit_events WHERE action = 'consultation.list' AND actor_id = $1 AND target_id = $2`,
      [t.userIds['specialist1@central-a.demo'], c.id],
    );
    expect(rows).toHaveLength(1);
  });

  it('GET /audit filters by patient, actor, action and time for admins', async () => {
    const byPatient = await t
      .http()
      .get('/api/audit')
      .query({ patientId: c.patient.id })
      .set(admin())
      .expect(200);
    expect(byPatient.body.total).toBeGreaterThan(0);
    expect(
      byPatient.body.items.every((e: { patientId: string }) => e.patientId === c.patient.id),
    ).toBe(true);

    const actor = t.userIds['specialist2@central-a.demo'];
    const byActor = await t
      .http()
      .get('/api/audit')
      .query({ actorId: actor, action: 'consultation.read' })
      .set(admin())
      .expect(200);
    expect(byActor.body.items.length).toBe(1);
    expect(byActor.body.items[0]).toMatchObject({
      actorId: actor,
      actor: { id: actor, fullName: 'TS.BS. Lê Thị Thu Hà', email: 'specialist2@central-a.demo' },
      action: 'consultation.read',
      targetId: c.id,
    });

    const future = await t
      .http()
      .get('/api/audit')
      .query({ from: '2999-01-01T00:00:00Z' })
      .set(admin())
      .expect(200);
    expect(future.body).toEqual({ items: [], total: 0 });
    const past = await t
      .http()
      .get('/api/audit')
      .query({ to: '2000-01-01T00:00:00+07:00' })
      .set(admin())
      .expect(200);
    expect(past.body.total).toBe(0);
  });

  it('reading the audit log is itself audited, with the filters used', async () => {
    await t.http().get('/api/audit').query({ patientId: c.patient.id }).set(admin()).expect(200);
    const rows = await t.sql<{ details: { returned: number } }>(
      `SELECT details FROM audit_events WHERE action = 'audit.read' AND actor_id = $1 AND patient_id = $2`,
      [t.userIds['admin@caunoi.demo'], c.patient.id],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].details.returned).toBeGreaterThan(0);
  });

  it('GET /audit validates its query, naming the fields', async () => {
    const res = await t
      .http()
      .get('/api/audit')
      .query({ patientId: 'abc', from: 'yesterday' })
      .set(admin())
      .expect(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'from',
      'patientId',
    ]);
  });

  it('GET /audit?patientId=&actorId=&from=&to= with empty values is the unfiltered list', async () => {
    const res = await t
      .http()
      .get('/api/audit?patientId=&actorId=&from=&to=')
      .set(admin())
      .expect(200);
    expect(res.body.total).toBeGreaterThan(0);
  });

  it('GET /audit is for admins only (403 for a coordinator)', async () => {
    await t
      .http()
      .get('/api/audit')
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .expect(403);
  });

  it('the audit table cannot be updated or deleted through the app’s DB role', async () => {
    await expect(
      t.sql(`UPDATE audit_events SET actor_id = NULL WHERE target_id = $1`, [c.id]),
    ).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM audit_events WHERE target_id = $1`, [c.id])).rejects.toThrow(
      /append-only/,
    );
  });
});
