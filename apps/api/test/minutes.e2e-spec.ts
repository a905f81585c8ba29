import { scheduleSession, submittedConsultation } from './support/fixtures';
import { chestXrayDicom } from './support/files';
import { fhirSchemaErrors } from './support/fhir';
import { pdfText } from './support/pdf';
import { bearer, binaryParser, DemoEmail, startTestApp, TestApp } from './support/test-app';

describe('minutes: draft, sign, immutability, PDF and FHIR', () => {
  let t: TestApp;
  let consultationId: string;
  let patientId: string;
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  const body = () => ({
    summary: 'Bệnh nhân nữ, ho kéo dài ba tuần, sốt nhẹ về chiều.',
    opinions:
      'PGS.TS. Trần Văn Minh: nghĩ nhiều đến lao phổi; TS.BS. Lê Thị Thu Hà: tổn thương thâm nhiễm thùy trên phải.',
    conclusion: 'Theo dõi lao phổi; làm xét nghiệm đờm tìm vi khuẩn kháng cồn kháng toan.',
    recommendations: 'Chuyển khám chuyên khoa lao tỉnh; tái khám sau hai tuần.',
    chairId: t.userIds['specialist1@central-a.demo'],
    secretaryId: t.userIds['coordinator@central-a.demo'],
  });

  beforeAll(async () => {
    t = await startTestApp();
    const c = await submittedConsultation(t);
    consultationId = c.id;
    patientId = c.patient.id;
    await t
      .http()
      .post(`/api/consultations/${c.id}/accept`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    await t
      .http()
      .post(`/api/consultations/${c.id}/attachments`)
      .set(as('requester@district-1.demo'))
      .attach('file', chestXrayDicom(), 'x-quang-nguc.dcm')
      .expect(201);
    // booking moves the request (the sessions suites test that); here the database stands in for it
    const people = [
      'coordinator@central-a.demo',
      'specialist1@central-a.demo',
      'specialist2@central-a.demo',
      'requester@district-1.demo',
    ] as const;
    await scheduleSession(
      t,
      c.id,
      people.map((e) => t.userIds[e]),
      {
        attended: [
          'specialist1@central-a.demo',
          'specialist2@central-a.demo',
          'requester@district-1.demo',
        ].map((e) => t.userIds[e as DemoEmail]),
      },
    );
    await t.sql(`UPDATE consultations SET status = 'scheduled' WHERE id = $1`, [c.id]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses minutes for a request without a session (409)', async () => {
    const other = await submittedConsultation(t);
    const res = await t
      .http()
      .put(`/api/consultations/${other.id}/minutes`)
      .set(as('coordinator@central-a.demo'))
      .send(body())
      .expect(409);
    expect(res.body.message).toContain('submitted');
  });

  it('validates the minutes body, naming fields', async () => {
    const res = await t
      .http()
      .put(`/api/consultations/${consultationId}/minutes`)
      .set(as('coordinator@central-a.demo'))
      .send({ summary: '', chairId: 'nope' })
      .expect(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['summary', 'opinions', 'conclusion', 'recommendations', 'chairId']),
    );
  });

  it('a chair who is not a participant is refused with 400', async () => {
    const res = await t
      .http()
      .put(`/api/consultations/${consultationId}/minutes`)
      .set(as('coordinator@central-a.demo'))
      .send({ ...body(), chairId: t.userIds['coordinator@central-b.demo'] })
      .expect(400);
    expect(res.body.message).toContain('chairId');
  });

  it('the requester may not write minutes (403)', async () => {
    await t
      .http()
      .put(`/api/consultations/${consultationId}/minutes`)
      .set(as('requester@district-1.demo'))
      .send(body())
      .expect(403);
  });

  it('GET minutes is 404 before any were written', async () => {
    await t
      .http()
      .get(`/api/consultations/${consultationId}/minutes`)
      .set(as('coordinator@central-a.demo'))
      .expect(404);
  });

  it('writes and edits a draft, then only the chair signs it; the request becomes completed', async () => {
    const draft = await t
      .http()
      .put(`/api/consultations/${consultationId}/minutes`)
      .set(as('coordinator@central-a.demo'))
      .send(body())
      .expect(200);
    expect(draft.body).toMatchObject({ version: 1, status: 'draft' });
    const edited = await t
      .http()
      .put(`/api/consultations/${consultationId}/minutes`)
      .set(as('coordinator@central-a.demo'))
      .send({ ...body(), conclusion: 'Nghi lao phổi AFB(-); cần cấy đờm MGIT.' })
      .expect(200);
    expect(edited.body).toMatchObject({
      id: draft.body.id,
      version: 1,
      conclusion: 'Nghi lao phổi AFB(-); cần cấy đờm MGIT.',
    });

    const draftView = await t
      .http()
      .get(`/api/consultations/${consultationId}/minutes`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    // a draft previews who is present so far (attendance); the list is frozen at signing
    expect(draftView.body).toMatchObject({
      status: 'draft',
      version: 1,
      chair: { fullName: 'PGS.TS. Trần Văn Minh' },
    });
    expect(draftView.body.participants).toHaveLength(3);

    // the chair signs the version and revision they read (two saves so far: revision 2)
    expect(draftView.body.revision).toBe(2);
    const read = { version: 1, revision: draftView.body.revision };
    const notChair = await t
      .http()
      .post(`/api/consultations/${consultationId}/minutes/sign`)
      .set(as('specialist2@central-a.demo'))
      .send(read)
      .expect(403);
    expect(notChair.body.message).toContain('PGS.TS. Trần Văn Minh');

    const signed = await t
      .http()
      .post(`/api/consultations/${consultationId}/minutes/sign`)
      .set(as('specialist1@central-a.demo'))
      .send(read)
      .expect(200);
    expect(signed.body).toMatchObject({
      status: 'signed',
      signedBy: { id: t.userIds['specialist1@central-a.demo'], fullName: 'PGS.TS. Trần Văn Minh' },
      chair: { id: t.userIds['specialist1@central-a.demo'] },
      secretary: { id: t.userIds['coordinator@central-a.demo'] },
    });
    // participants present come from attendance: three joined, the coordinator did not
    expect(signed.body.participants.map((p: { userId: string }) => p.userId).sort()).toEqual(
      ['specialist1@central-a.demo', 'specialist2@central-a.demo', 'requester@district-1.demo']
        .map((e) => t.userIds[e as DemoEmail])
        .sort(),
    );
    const c = await t
      .http()
      .get(`/api/consultations/${consultationId}`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    expect(c.body.status).toBe('completed');
    expect(c.body.history.slice(-2).map((h: { to: string }) => h.to)).toEqual([
      'in_progress',
      'completed',
    ]);
  });

  it('signed minutes cannot be changed by direct SQL through the app’s DB role', async () => {
    const [row] = await t.sql<{ id: string }>(
      `SELECT id FROM minutes WHERE consultation_id = $1 AND status = 'signed'`,
      [consultationId],
    );
    await expect(
      t.sql(`UPDATE minutes SET conclusion = 'sửa lén' WHERE id = $1`, [row.id]),
    ).rejects.toThrow(/immutable/);
    await expect(
      t.sql(`UPDATE minutes SET status = 'draft' WHERE id = $1`, [row.id]),
    ).rejects.toThrow(/immutable/);
    await expect(t.sql(`DELETE FROM minutes WHERE id = $1`, [row.id])).rejects.toThrow(/immutable/);
    const [after] = await t.sql<{ conclusion: string }>(
      `SELECT conclusion FROM minutes WHERE id = $1`,
      [row.id],
    );
    expect(after.conclusion).toBe('Nghi lao phổi AFB(-); cần cấy đờm MGIT.');
  });

  it('the PDF carries the Vietnamese text (extracted back from the file)', async () => {
    const res = await t
      .http()
      .get(`/api/consultations/${consultationId}/minutes.pdf`)
      .set(as('requester@district-1.demo'))
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.body as Buffer);
    expect(text).toContain('BIÊN BẢN HỘI CHẨN TỪ XA');
    expect(text).toContain('Nghi lao phổi AFB(-); cần cấy đờm MGIT.');
    expect(text).toContain('Trung tâm Y tế huyện 1');
    expect(text).toContain('PGS.TS. Trần Văn Minh');
    expect(text).toContain('Hướng xử trí, điều trị');
  });

  it('the FHIR R4 Bundle validates against the official FHIR R4 JSON schema and its references resolve', async () => {
    const res = await t
      .http()
      .get(`/api/consultations/${consultationId}/fhir`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    const bundle = res.body;
    expect(res.headers['content-type']).toContain('application/fhir+json');
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'document' });
    const types = bundle.entry.map(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType,
    );
    expect(types[0]).toBe('Composition');
    for (const rt of [
      'Patient',
      'Practitioner',
      'Organization',
      'ServiceRequest',
      'Appointment',
      'Encounter',
      'DocumentReference',
    ]) {
      expect(types).toContain(rt);
    }
    const fullUrls = new Set(bundle.entry.map((e: { fullUrl: string }) => e.fullUrl));
    expect(fullUrls.size).toBe(bundle.entry.length);
    const refs = JSON.stringify(bundle)
      .match(/"reference":"([^"]+)"/g)!
      .map((m) => m.slice(13, -1));
    for (const r of refs) expect(fullUrls).toContain(r);
    const patient = bundle.entry.find(
      (e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient',
    ).resource;
    expect(patient.id).toBe(patientId);
  });

  it('a schema-breaking bundle is caught by the validator (the check can fail)', async () => {
    const res = await t
      .http()
      .get(`/api/consultations/${consultationId}/fhir`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    const broken = structuredClone(res.body);
    broken.entry[0].resource.status = 'signed-ish';
    expect(fhirSchemaErrors(broken).length).toBeGreaterThan(0);
  });

  it('a correction is a new signed version that supersedes the first', async () => {
    await t
      .http()
      .put(`/api/consultations/${consultationId}/minutes`)
      .set(as('specialist1@central-a.demo'))
      .send({ ...body(), conclusion: 'Đính chính: lao phổi AFB(+).'.normalize('NFD') })
      .expect(200);
    const v2 = await t
      .http()
      .post(`/api/consultations/${consultationId}/minutes/sign`)
      .set(as('specialist1@central-a.demo'))
      .send({ version: 2 })
      .expect(200);
    expect(v2.body).toMatchObject({ version: 2, status: 'signed' });
    const all = await t
      .http()
      .get(`/api/consultations/${consultationId}/minutes`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    expect(all.body).toMatchObject({
      version: 2,
      status: 'signed',
      conclusion: 'Đính chính: lao phổi AFB(+).'.normalize('NFD'),
    });
    expect(
      all.body.versions.map((v: { version: number; status: string }) => [v.version, v.status]),
    ).toEqual([
      [1, 'signed'],
      [2, 'signed'],
    ]);
    expect(all.body.versions[1].supersedesId).toBe(all.body.versions[0].id);
    const fhir = await t
      .http()
      .get(`/api/consultations/${consultationId}/fhir`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    expect(fhirSchemaErrors(fhir.body)).toEqual([]);
    // decomposed input (NFD) still renders and extracts as the composed Vietnamese text
    expect(
      pdfText(
        (
          await t
            .http()
            .get(`/api/consultations/${consultationId}/minutes.pdf`)
            .set(as('coordinator@central-a.demo'))
            .buffer(true)
            .parse(binaryParser)
            .expect(200)
        ).body as Buffer,
      ),
    ).toContain('Đính chính: lao phổi AFB(+).');
    const v1pdf = await t
      .http()
      .get(`/api/consultations/${consultationId}/minutes.pdf?version=1`)
      .set(as('coordinator@central-a.demo'))
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(pdfText(v1pdf.body as Buffer)).toContain('Nghi lao phổi AFB(-)');
  });

  it('exports and reads of minutes are audited with the patient', async () => {
    const rows = await t.sql<{ action: string }>(
      `SELECT DISTINCT action FROM audit_events WHERE patient_id = $1 AND action LIKE 'minutes.%'`,
      [patientId],
    );
    expect(rows.map((r) => r.action).sort()).toEqual([
      'minutes.export_fhir',
      'minutes.export_pdf',
      'minutes.read',
      'minutes.sign',
      'minutes.write',
    ]);
  });

  it('minutes exports are 404 for someone out of scope', async () => {
    await t
      .http()
      .get(`/api/consultations/${consultationId}/minutes.pdf`)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
    await t
      .http()
      .get(`/api/consultations/${consultationId}/fhir`)
      .set(as('admin@caunoi.demo'))
      .expect(404);
  });
});
