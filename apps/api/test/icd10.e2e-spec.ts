import { fhirSchemaErrors } from './support/fhir';
import { pdfText } from './support/pdf';
import { bearer, binaryParser, DemoEmail, startTestApp, TestApp } from './support/test-app';

/** Coded conclusions: the ICD-10 catalogue, diagnoses in minutes, FHIR Conditions, the report. */
describe('ICD-10 catalogue and coded conclusions', () => {
  let t: TestApp;
  const as = (email: DemoEmail) => bearer(t.tokens[email]);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the demo ships a catalogue subset; search by code prefix or accent-free name', async () => {
    const byCode = await t
      .http()
      .get('/api/icd10?q=j18')
      .set(as('specialist1@central-a.demo'))
      .expect(200);
    expect(byCode.body.items[0]).toMatchObject({ code: 'J18.9', chapter: 'X' });
    const byName = await t
      .http()
      .get('/api/icd10')
      .query({ q: 'lao phoi' })
      .set(as('specialist1@central-a.demo'))
      .expect(200);
    expect(byName.body.items.map((e: { code: string }) => e.code)).toEqual(
      expect.arrayContaining(['A15.0', 'A16.2']),
    );
  });

  it('an admin imports CSV (header, quotes, semicolons, BOM); bad lines are reported, good ones kept', async () => {
    const csv =
      '\uFEFFcode;name_vi;name_en\nJ18.9;"Viêm phổi; không xác định";Pneumonia, unspecified\nXX1;Sai mã;Bad\nK29.7;Viêm dạ dày;Gastritis\n';
    const res = await t
      .http()
      .post('/api/icd10/import')
      .set(as('admin@caunoi.demo'))
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(res.body).toMatchObject({ imported: 1, updated: 1, rejected: [{ line: 3 }] });
    const k29 = await t.http().get('/api/icd10?q=K29').set(as('admin@caunoi.demo')).expect(200);
    expect(k29.body.items[0]).toMatchObject({
      code: 'K29.7',
      nameVi: 'Viêm dạ dày',
      chapter: 'XI',
    });
    const audit = await t.sql(`SELECT 1 FROM audit_events WHERE action = 'icd10.import'`);
    expect(audit).toHaveLength(1);
  });

  it('import is for admins (403), needs text/csv (415) and at least one good line (400)', async () => {
    await t
      .http()
      .post('/api/icd10/import')
      .set(as('coordinator@central-a.demo'))
      .set('content-type', 'text/csv')
      .send('J18.9,x,y')
      .expect(403);
    await t
      .http()
      .post('/api/icd10/import')
      .set(as('admin@caunoi.demo'))
      .send({ csv: 'x' })
      .expect(415);
    await t
      .http()
      .post('/api/icd10/import')
      .set(as('admin@caunoi.demo'))
      .set('content-type', 'text/csv')
      .send('nonsense\n')
      .expect(400);
  });

  it('signed demo minutes carry their diagnosis into the FHIR bundle, the PDF and the report', async () => {
    const [row] = await t.sql<{ consultation_id: string }>(
      `SELECT consultation_id FROM minutes WHERE status = 'signed' AND diagnoses <> '[]'::jsonb LIMIT 1`,
    );
    const fhir = await t
      .http()
      .get(`/api/consultations/${row.consultation_id}/fhir`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    expect(fhirSchemaErrors(fhir.body)).toEqual([]);
    const condition = fhir.body.entry.find(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Condition',
    );
    expect(condition.resource.code.coding[0]).toMatchObject({
      system: 'http://hl7.org/fhir/sid/icd-10',
      code: 'B90.9',
    });
    const pdf = await t
      .http()
      .get(`/api/consultations/${row.consultation_id}/minutes.pdf`)
      .set(as('requester@district-1.demo'))
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(pdfText(pdf.body as Buffer)).toContain('(ICD-10: B90.9)');
    const report = await t
      .http()
      .get('/api/reports/diagnoses')
      .set(as('admin@caunoi.demo'))
      .expect(200);
    expect(report.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ chapter: 'I', consultations: 1 })]),
    );
  });

  it('minutes refuse a code outside the catalogue, naming diagnoses.N.code', async () => {
    // An open consultation of the demo with a draft-able state: use the golden path's pattern.
    const [c] = await t.sql<{ id: string }>(
      `SELECT c.id FROM consultations c WHERE c.status = 'in_progress' LIMIT 1`,
    );
    const res = await t
      .http()
      .put(`/api/consultations/${c.id}/minutes`)
      .set(as('specialist1@central-a.demo'))
      .send({
        summary: 'Tóm tắt',
        opinions: 'Ý kiến',
        conclusion: 'Kết luận',
        recommendations: 'Điều trị',
        chairId: t.userIds['specialist1@central-a.demo'],
        diagnoses: [{ code: 'J18.9', primary: true }, { code: 'Z99.99' }],
      });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'diagnoses.1.code' })]);
    const ok = await t
      .http()
      .put(`/api/consultations/${c.id}/minutes`)
      .set(as('specialist1@central-a.demo'))
      .send({
        summary: 'Tóm tắt',
        opinions: 'Ý kiến',
        conclusion: 'Kết luận',
        recommendations: 'Điều trị',
        chairId: t.userIds['specialist1@central-a.demo'],
        diagnoses: [{ code: 'j18.9', primary: true }],
      })
      .expect(200);
    // The name as the catalogue has it now (the import above renamed J18.9), frozen in the row.
    expect(ok.body.diagnoses).toEqual([
      { code: 'J18.9', name: 'Viêm phổi; không xác định', primary: true },
    ]);
  });
});
