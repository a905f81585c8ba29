import { AccessPolicy } from '../src/access/access-policy.service';
import { draftConsultation, scheduleSession, submittedConsultation } from './support/fixtures';
import { bearer, DemoEmail, startTestApp, TestApp } from './support/test-app';

/**
 * Who sees a consultation of district 1 addressed to central A, its patient and attachments.
 * Roles × own facility / supported facility / unrelated facility: anyone outside scope gets 404.
 */
describe('access matrix', () => {
  let t: TestApp;
  let submitted: { id: string; patient: { id: string } };
  let draft: { id: string; patient: { id: string } };
  beforeAll(async () => {
    t = await startTestApp();
    submitted = await submittedConsultation(t);
    draft = await draftConsultation(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const MATRIX: Array<[DemoEmail, string, number]> = [
    ['requester@district-1.demo', 'requester at the requesting facility', 200],
    ['requester@commune-1.demo', 'requester at a facility district 1 supports', 404],
    ['coordinator@central-a.demo', 'coordinator at the target facility', 200],
    ['specialist1@central-a.demo', 'specialist at the target facility', 200],
    ['specialist2@central-a.demo', 'another specialist at the target facility', 200],
    ['coordinator@central-b.demo', 'coordinator at an unrelated central hospital', 404],
    ['admin@caunoi.demo', 'admin (no clinical access)', 404],
  ];

  it.each(MATRIX)('%s (%s) → consultation %i', async (email, _why, status) => {
    await t
      .http()
      .get(`/api/consultations/${submitted.id}`)
      .set(bearer(t.tokens[email]))
      .expect(status);
  });

  it.each(MATRIX)('%s (%s) → patient %i', async (email, _why, status) => {
    await t
      .http()
      .get(`/api/patients/${submitted.patient.id}`)
      .set(bearer(t.tokens[email]))
      .expect(status);
  });

  it.each(MATRIX)('%s (%s) → attachment list %i', async (email, _why, status) => {
    await t
      .http()
      .get(`/api/consultations/${submitted.id}/attachments`)
      .set(bearer(t.tokens[email]))
      .expect(status);
  });

  it.each(MATRIX)('%s (%s) → listed in GET /consultations: %i', async (email, _why, status) => {
    const res = await t
      .http()
      .get('/api/consultations')
      .query({ limit: 200 })
      .set(bearer(t.tokens[email]))
      .expect(200);
    expect(res.body.items.some((c: { id: string }) => c.id === submitted.id)).toBe(status === 200);
  });

  it('a draft stays with the requesting site: the target side gets 404 until it is submitted', async () => {
    await t
      .http()
      .get(`/api/consultations/${draft.id}`)
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .expect(404);
    await t
      .http()
      .get(`/api/consultations/${draft.id}`)
      .set(bearer(t.tokens['requester@district-1.demo']))
      .expect(200);
  });

  it('coordinator@central-b.demo never sees district 1’s consultations in a list', async () => {
    const res = await t
      .http()
      .get('/api/consultations')
      .query({ limit: 200 })
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(200);
    expect(
      res.body.items.filter(
        (c: { requestingFacility: { id: string } }) =>
          c.requestingFacility.id === t.facilityIds['TTYT-H1'],
      ),
    ).toEqual([]);
  });

  it('a user invited to a session covering the consultation may see it; cancelling the session ends that', async () => {
    const outsider = t.tokens['coordinator@central-b.demo'];
    const sessionId = await scheduleSession(t, submitted.id, [
      t.userIds['coordinator@central-b.demo'],
    ]);
    await t.http().get(`/api/consultations/${submitted.id}`).set(bearer(outsider)).expect(200);
    await t.http().get(`/api/patients/${submitted.patient.id}`).set(bearer(outsider)).expect(200);
    await t.sql(`UPDATE sessions SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [
      sessionId,
    ]);
    await t.http().get(`/api/consultations/${submitted.id}`).set(bearer(outsider)).expect(404);
  });

  it('another domain can widen access through an AccessPolicy extension', async () => {
    const shared = await submittedConsultation(t);
    const outsider = t.userIds['coordinator@central-b.demo'];
    await t
      .http()
      .get(`/api/consultations/${shared.id}`)
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(404);
    t.app
      .get(AccessPolicy)
      .registerExtension(
        async (user, consultationId) => user.id === outsider && consultationId === shared.id,
      );
    await t
      .http()
      .get(`/api/consultations/${shared.id}`)
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(200);
    await t
      .http()
      .get(`/api/consultations/${submitted.id}`)
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(404);
  });

  it('an id that does not exist is the same 404 as one out of scope', async () => {
    const missing = await t
      .http()
      .get('/api/consultations/00000000-0000-4000-8000-000000000000')
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(404);
    const hidden = await t
      .http()
      .get(`/api/consultations/${submitted.id}`)
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(404);
    expect(hidden.body).toEqual(missing.body);
  });

  it('transitions by someone out of scope are 404, not 403', async () => {
    await t
      .http()
      .post(`/api/consultations/${submitted.id}/accept`)
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(404);
  });
});
