import { chestXrayDicom, labReportPdf } from './support/files';
import { fhirSchemaErrors } from './support/fhir';
import { pdfText } from './support/pdf';
import { bearer, binaryParser, DEMO_PASSWORD, startTestApp, TestApp } from './support/test-app';

/**
 * The golden path (docs/product.md), the part this suite covers: steps 1–3 up to acceptance, then
 * step 5. Step 3's booking and step 4's conference are other suites'; the database stands in here.
 */
describe('golden path: requester → coordinator → signed minutes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('works end to end over HTTP', async () => {
    const login = async (email: string) =>
      (await t.http().post('/api/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200))
        .body.accessToken as string;
    // 1. both log in
    const doctor = bearer(await login('requester@district-1.demo'));
    const coordinator = bearer(await login('coordinator@central-a.demo'));
    const chair = bearer(await login('specialist1@central-a.demo'));

    // 2. patient, consent, request with a DICOM X-ray and a PDF lab report, submit
    const patient = (
      await t
        .http()
        .post('/api/patients')
        .set(doctor)
        .send({
          fullName: 'Trịnh Văn Hùng',
          dateOfBirth: '1962-04-18',
          sex: 'male',
          nationalId: '025062004321',
          insuranceNumber: 'HT2250012312312',
        })
        .expect(201)
    ).body;
    await t
      .http()
      .post(`/api/patients/${patient.id}/consents`)
      .set(doctor)
      .send({ kind: 'teleconsultation', granted: true })
      .expect(201);
    const facilities = (await t.http().get('/api/facilities').set(doctor).expect(200)).body.items;
    const centralA = facilities.find((f: { code: string }) => f.code === 'BV-TW-A');
    const request = (
      await t
        .http()
        .post('/api/consultations')
        .set(doctor)
        .send({
          patientId: patient.id,
          targetFacilityId: centralA.id,
          specialty: 'hô hấp',
          urgency: 'urgent',
          summary: 'Nam 64 tuổi, khó thở tăng dần 2 tuần, X-quang có tràn dịch màng phổi phải.',
          question: 'Xin ý kiến nguyên nhân tràn dịch và chỉ định chọc dịch.',
        })
        .expect(201)
    ).body;
    expect(request.status).toBe('draft');
    await t
      .http()
      .post(`/api/consultations/${request.id}/attachments`)
      .set(doctor)
      .attach('file', chestXrayDicom(), 'x-quang-nguc.dcm')
      .expect(201);
    await t
      .http()
      .post(`/api/consultations/${request.id}/attachments`)
      .set(doctor)
      .attach('file', await labReportPdf(), 'xet-nghiem.pdf')
      .expect(201);
    await t.http().post(`/api/consultations/${request.id}/submit`).set(doctor).expect(200);

    // 3. the coordinator sees it in triage and accepts it
    const queue = (
      await t
        .http()
        .get('/api/consultations?role=target&status=submitted')
        .set(coordinator)
        .expect(200)
    ).body;
    expect(queue.items.map((c: { id: string }) => c.id)).toContain(request.id);
    const seen = (
      await t.http().get(`/api/consultations/${request.id}`).set(coordinator).expect(200)
    ).body;
    expect(seen.allowedActions).toEqual(expect.arrayContaining(['accept', 'decline', 'cancel']));
    await t.http().post(`/api/consultations/${request.id}/accept`).set(coordinator).expect(200);
    const files = (
      await t
        .http()
        .get(`/api/consultations/${request.id}/attachments`)
        .set(coordinator)
        .expect(200)
    ).body.items;
    expect(files.map((f: { kind: string }) => f.kind).sort()).toEqual(['dicom', 'pdf']);

    // The session is booked and joined (the sessions suites test that); the database stands in.
    const [session] = await t.sql<{ id: string }>(
      `INSERT INTO sessions (starts_at, ends_at, status) VALUES (now(), now() + interval '1 hour', 'in_progress') RETURNING id`,
    );
    await t.sql(`INSERT INTO session_consultations VALUES ($1, $2)`, [session.id, request.id]);
    for (const e of [
      'coordinator@central-a.demo',
      'specialist1@central-a.demo',
      'requester@district-1.demo',
    ] as const) {
      await t.sql(`INSERT INTO session_participants VALUES ($1, $2)`, [session.id, t.userIds[e]]);
      await t.sql(
        `INSERT INTO attendance (session_id, user_id, joined_at) VALUES ($1, $2, now())`,
        [session.id, t.userIds[e]],
      );
    }
    await t.sql(`UPDATE consultations SET status = 'in_progress' WHERE id = $1`, [request.id]);

    // 5. minutes written and signed by the chair; the request is completed; PDF and FHIR export
    await t
      .http()
      .put(`/api/consultations/${request.id}/minutes`)
      .set(coordinator)
      .send({
        summary: 'Tràn dịch màng phổi phải lượng vừa.',
        opinions: 'Nghĩ nhiều tràn dịch do lao, cần loại trừ ác tính.',
        conclusion: 'Chọc dịch màng phổi chẩn đoán.',
        recommendations: 'Xét nghiệm dịch: ADA, tế bào học, cấy lao.',
        chairId: t.userIds['specialist1@central-a.demo'],
      })
      .expect(200);
    await t
      .http()
      .post(`/api/consultations/${request.id}/minutes/sign`)
      .set(chair)
      .send({ version: 1 })
      .expect(200);
    expect(
      (await t.http().get(`/api/consultations/${request.id}`).set(doctor).expect(200)).body.status,
    ).toBe('completed');
    const pdf = await t
      .http()
      .get(`/api/consultations/${request.id}/minutes.pdf`)
      .set(doctor)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(pdfText(pdf.body as Buffer)).toContain('Trịnh Văn Hùng');
    const fhir = (
      await t.http().get(`/api/consultations/${request.id}/fhir`).set(doctor).expect(200)
    ).body;
    expect(fhirSchemaErrors(fhir)).toEqual([]);

    // the audit log shows who saw what
    const audit = (
      await t
        .http()
        .get('/api/audit')
        .query({ patientId: patient.id, limit: 1000 })
        .set(bearer(t.tokens['admin@caunoi.demo']))
        .expect(200)
    ).body;
    const seenBy = new Set(
      audit.items.map((e: { actorId: string; action: string }) => `${e.actorId}:${e.action}`),
    );
    expect(seenBy).toContain(`${t.userIds['coordinator@central-a.demo']}:consultation.read`);
    expect(seenBy).toContain(`${t.userIds['requester@district-1.demo']}:minutes.export_pdf`);
    expect(seenBy).toContain(`${t.userIds['specialist1@central-a.demo']}:minutes.sign`);
  });
});
