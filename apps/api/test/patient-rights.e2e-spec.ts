import { RetentionService } from '../src/retention/retention.service';
import { fhirSchemaErrors } from './support/fhir';
import { registerPatient, submittedConsultation } from './support/fixtures';
import { chestXrayDicom } from './support/files';
import { bearer, startTestApp, TestApp } from './support/test-app';

/** The data subject's rights over a record: access (export), correction with history, retention. */
describe('patient rights: export, correction with history, retention', () => {
  let t: TestApp;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);

  beforeAll(async () => {
    t = await startTestApp({ PURGE_INTERVAL_MINUTES: '0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const auditCount = async (action: string, patientId: string) =>
    (
      await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND patient_id = $2`,
        [action, patientId],
      )
    )[0].n;

  it('corrects identity data, keeps what it replaced and why, and audits it', async () => {
    const p = await registerPatient(t, { nationalId: '025160009999' });
    const res = await t
      .http()
      .patch(`/api/patients/${p.id}`)
      .set(d1())
      .send({ fullName: 'Nguyễn Thị Thử', nationalId: null, reason: 'Bệnh nhân báo sai tên' })
      .expect(200);
    expect(res.body).toMatchObject({ id: p.id, fullName: 'Nguyễn Thị Thử', nationalId: null });
    const history = await t.http().get(`/api/patients/${p.id}/history`).set(d1()).expect(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({
        reason: 'Bệnh nhân báo sai tên',
        changedBy: expect.objectContaining({ id: t.userIds['requester@district-1.demo'] }),
        before: { fullName: 'Nguyễn Thị Thử Nghiệm', nationalId: '025160009999' },
        after: { fullName: 'Nguyễn Thị Thử', nationalId: null },
      }),
    ]);
    expect(await auditCount('patient.correct', p.id)).toBe(1);
    expect(await auditCount('patient.history', p.id)).toBe(1);
  });

  it('refuses a correction without a field or a reason, naming the field', async () => {
    const p = await registerPatient(t);
    const none = await t
      .http()
      .patch(`/api/patients/${p.id}`)
      .set(d1())
      .send({ reason: 'không có gì' })
      .expect(400);
    expect(none.body.details).toEqual([expect.objectContaining({ path: 'fullName' })]);
    const noReason = await t
      .http()
      .patch(`/api/patients/${p.id}`)
      .set(d1())
      .send({ fullName: 'Tên Mới' })
      .expect(400);
    expect(noReason.body.details).toEqual([expect.objectContaining({ path: 'reason' })]);
  });

  it('lets only the registering facility correct or export; others get 404', async () => {
    const c = await submittedConsultation(t);
    const pid = c.patient.id;
    const other = bearer(t.tokens['requester@commune-1.demo']);
    await t
      .http()
      .patch(`/api/patients/${pid}`)
      .set(other)
      .send({ fullName: 'X Y', reason: 'thử' })
      .expect(404);
    await t.http().get(`/api/patients/${pid}/export`).set(other).expect(404);
    await t.http().get(`/api/patients/${pid}/history`).set(other).expect(404);
  });

  it('exports everything held about a patient as a valid FHIR R4 collection Bundle', async () => {
    const c = await submittedConsultation(t);
    const pid = c.patient.id;
    await t
      .http()
      .post(`/api/consultations/${c.id}/attachments`)
      .set(d1())
      .attach('file', chestXrayDicom(), 'phim.dcm')
      .expect(201);
    const res = await t.http().get(`/api/patients/${pid}/export`).set(d1()).expect(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const bundle = res.body;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource);
    expect(types.map((r: { resourceType: string }) => r.resourceType).sort()).toEqual([
      'Consent',
      'DocumentReference',
      'Patient',
      'ServiceRequest',
    ]);
    expect(types.find((r: { id: string }) => r.id === c.id)).toMatchObject({ status: 'active' });
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    expect(await auditCount('patient.export', pid)).toBe(1);
  });

  it('includes signed minutes as their document Bundle (demo case with signed minutes)', async () => {
    const [row] = await t.sql<{ patient_id: string }>(
      `SELECT c.patient_id FROM consultations c JOIN minutes m ON m.consultation_id = c.id
        WHERE m.status = 'signed' AND c.requesting_facility_id = $1 LIMIT 1`,
      [t.facilityIds['TTYT-H1']],
    );
    expect(row).toBeDefined();
    const res = await t.http().get(`/api/patients/${row.patient_id}/export`).set(d1()).expect(200);
    const docs = res.body.entry.filter(
      (e: { resource: { resourceType: string; type?: string } }) =>
        e.resource.resourceType === 'Bundle' && e.resource.type === 'document',
    );
    expect(docs.length).toBeGreaterThan(0);
    expect(docs[0].resource.entry[0].resource.resourceType).toBe('Composition');
    expect(fhirSchemaErrors(res.body)).toEqual([]);
  });

  it('the purge job never deletes a record inside (or after) the retention period', async () => {
    const retention = t.app.get(RetentionService);
    const count = async () =>
      (
        await t.sql<{ c: number; m: number; a: number; e: number }>(
          `SELECT (SELECT count(*) FROM consultations)::int AS c, (SELECT count(*) FROM minutes)::int AS m,
                  (SELECT count(*) FROM attachments)::int AS a, (SELECT count(*) FROM audit_events WHERE action <> 'retention.purge')::int AS e`,
        )
      )[0];
    await t.sql(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
       VALUES ($1, gen_random_uuid(), 'dead-token', now() - interval '2 days')`,
      [t.userIds['requester@district-1.demo']],
    );
    const before = await count();
    const inNineYears = new Date(Date.now() + 9 * 365 * 24 * 3600 * 1000);
    const r9 = await retention.purge(inNineYears);
    expect(r9!.heldUnderRetention).toBeGreaterThan(0);
    expect(r9!.pastRetention).toBe(0);
    expect(r9!.deleted.refreshTokens).toBeGreaterThan(0);
    expect(await t.sql(`SELECT 1 FROM refresh_tokens WHERE token_hash = 'dead-token'`)).toEqual([]);
    const inElevenYears = new Date(Date.now() + 11 * 365 * 24 * 3600 * 1000);
    const r11 = await retention.purge(inElevenYears);
    expect(r11!.pastRetention).toBe(r9!.heldUnderRetention);
    expect(await count()).toEqual(before);
  });
});
