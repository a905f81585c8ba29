import { fhirSchemaErrors } from './support/fhir';
import { consultationBody, registerPatient } from './support/fixtures';
import { pdfText } from './support/pdf';
import { bearer, binaryParser, DemoEmail, startTestApp, TestApp } from './support/test-app';

/** Store-and-forward: a written consultation from request to signed minutes, without a session. */
describe('written consultations', () => {
  let t: TestApp;
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  let id: string;

  beforeAll(async () => {
    t = await startTestApp();
    const p = await registerPatient(t);
    const body = consultationBody(t, p.id, {
      urgency: 'routine',
      summary: 'Ho kéo dài 3 tuần, X-quang có đám mờ đỉnh phổi phải.',
      question: 'Xin ý kiến đọc phim và hướng xử trí.',
      mode: 'written',
    });
    const created = await t
      .http()
      .post('/api/consultations')
      .set(as('requester@commune-1.demo'))
      .send(body);
    // The patient belongs to district 1: to the commune it does not exist.
    expect(created.status).toBe(404);
    const res = await t
      .http()
      .post('/api/consultations')
      .set(as('requester@district-1.demo'))
      .send(body)
      .expect(201);
    expect(res.body).toMatchObject({ status: 'draft', mode: 'written' });
    id = res.body.id;
    await t
      .http()
      .post(`/api/consultations/${id}/submit`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    await t
      .http()
      .post(`/api/consultations/${id}/accept`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('only the target coordinator assigns, and only specialists of the target facility (400 naming the id)', async () => {
    await t
      .http()
      .post(`/api/consultations/${id}/assign`)
      .set(as('requester@district-1.demo'))
      .send({ specialistIds: [t.userIds['specialist1@central-a.demo']] })
      .expect(403);
    const bad = await t
      .http()
      .post(`/api/consultations/${id}/assign`)
      .set(as('coordinator@central-a.demo'))
      .send({
        specialistIds: [
          t.userIds['specialist1@central-a.demo'],
          t.userIds['requester@district-1.demo'],
        ],
      })
      .expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ path: 'specialistIds.1' })]);
    await t
      .http()
      .get(`/api/consultations/${id}`)
      .set(as('specialist1@central-a.demo'))
      .expect(404);
  });

  it('the first assignment starts it; the assigned specialist sees it, an unassigned one does not', async () => {
    const res = await t
      .http()
      .post(`/api/consultations/${id}/assign`)
      .set(as('coordinator@central-a.demo'))
      .send({ specialistIds: [t.userIds['specialist1@central-a.demo']] })
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'in_progress',
      assigned: [{ id: t.userIds['specialist1@central-a.demo'] }],
    });
    await t
      .http()
      .get(`/api/consultations/${id}`)
      .set(as('specialist1@central-a.demo'))
      .expect(200);
    await t
      .http()
      .get(`/api/consultations/${id}`)
      .set(as('specialist2@central-a.demo'))
      .expect(404);
    const mode = await t
      .http()
      .post(`/api/consultations/${id}/mode`)
      .set(as('coordinator@central-a.demo'))
      .send({ mode: 'live' })
      .expect(409);
    expect(mode.body.message).toContain('in_progress');
  });

  it('assigned specialists write the answer together; the chair signs; the request is completed', async () => {
    const minutes = {
      summary: 'Ho kéo dài 3 tuần.',
      opinions: 'Hình ảnh gợi ý lao phổi.',
      conclusion: 'Nghi lao phổi.',
      recommendations: 'Xét nghiệm AFB đờm 2 mẫu.',
      chairId: t.userIds['specialist1@central-a.demo'],
      diagnoses: [{ code: 'A16.2', primary: true }],
    };
    await t
      .http()
      .put(`/api/consultations/${id}/minutes`)
      .set(as('specialist1@central-a.demo'))
      .send(minutes)
      .expect(200);
    await t
      .http()
      .post(`/api/consultations/${id}/assign`)
      .set(as('coordinator@central-a.demo'))
      .send({ specialistIds: [t.userIds['specialist2@central-a.demo']] })
      .expect(200);
    const edited = await t
      .http()
      .put(`/api/consultations/${id}/minutes`)
      .set(as('specialist2@central-a.demo'))
      .send({ ...minutes, opinions: `${minutes.opinions} CĐHA: không thấy khối u.` })
      .expect(200);
    expect(edited.body.participants.map((p: { userId: string }) => p.userId).sort()).toEqual(
      [t.userIds['specialist1@central-a.demo'], t.userIds['specialist2@central-a.demo']].sort(),
    );
    const signed = await t
      .http()
      .post(`/api/consultations/${id}/minutes/sign`)
      .set(as('specialist1@central-a.demo'))
      .send({ version: edited.body.version, revision: edited.body.revision })
      .expect(200);
    expect(signed.body.status).toBe('signed');
    const c = await t
      .http()
      .get(`/api/consultations/${id}`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    expect(c.body.status).toBe('completed');
    const fhir = await t
      .http()
      .get(`/api/consultations/${id}/fhir`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    expect(fhirSchemaErrors(fhir.body)).toEqual([]);
    const pdf = await t
      .http()
      .get(`/api/consultations/${id}/minutes.pdf`)
      .set(as('requester@district-1.demo'))
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    expect(pdfText(pdf.body as Buffer)).toContain('Hội chẩn từ xa bằng văn bản');
  });
});
