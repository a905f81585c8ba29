import type request from 'supertest';
import { COLLAB_CLIENT_EVENTS } from '@caunoi/shared';
import { collabClient, request as emit } from './collaboration-client';
import { AccessPolicy } from '../src/access/access-policy.service';
import { draftConsultation, scheduleSession, submittedConsultation } from './support/fixtures';
import { chestXrayDicom } from './support/files';
import { bearer, binaryParser, DemoEmail, startTestApp, TestApp } from './support/test-app';
import { joinTokenKeys } from './sessions-fixtures';

/**
 * Who sees a case of district 1 addressed to central A, and everything hanging from it. The case
 * has a session booked by central A's coordinator with specialist 1 (the chair) and district 1's
 * requester invited, signed minutes and an open correction. specialist2@central-a is the
 * uninvited specialist of the target facility: since the rule was narrowed to "the people taking
 * part", every cell of that row is 404. Each cell is the status expected; every allowed read
 * leaves an audit row with the patient, every refusal an `access.refused` row.
 */
type Resource =
  | 'consultation'
  | 'listed'
  | 'patient'
  | 'attachments'
  | 'attachmentContent'
  | 'minutesGet'
  | 'minutesPut'
  | 'minutesSign'
  | 'pdf'
  | 'fhir'
  | 'session'
  | 'messages'
  | 'annotations'
  | 'join';

// prettier-ignore
const MATRIX: Record<DemoEmail, { why: string } & Record<Resource, number>> = {
  'requester@district-1.demo': { why: 'requester at the requesting facility, invited',
    consultation: 200, listed: 200, patient: 200, attachments: 200, attachmentContent: 200,
    minutesGet: 200, minutesPut: 403, minutesSign: 403, pdf: 200, fhir: 200,
    session: 200, messages: 200, annotations: 200, join: 200 },
  'requester@commune-1.demo': { why: 'requester at a facility district 1 supports',
    consultation: 404, listed: 404, patient: 404, attachments: 404, attachmentContent: 404,
    minutesGet: 404, minutesPut: 404, minutesSign: 404, pdf: 404, fhir: 404,
    session: 404, messages: 404, annotations: 404, join: 404 },
  'coordinator@central-a.demo': { why: 'coordinator at the target facility, organiser and secretary',
    consultation: 200, listed: 200, patient: 200, attachments: 200, attachmentContent: 200,
    minutesGet: 200, minutesPut: 200, minutesSign: 403, pdf: 200, fhir: 200,
    session: 200, messages: 200, annotations: 200, join: 200 },
  'specialist1@central-a.demo': { why: 'specialist at the target facility, invited, chair',
    consultation: 200, listed: 200, patient: 200, attachments: 200, attachmentContent: 200,
    // the chair passes the access rule; signing a version they did not read is a 409
    minutesGet: 200, minutesPut: 200, minutesSign: 409, pdf: 200, fhir: 200,
    session: 200, messages: 200, annotations: 200, join: 200 },
  'specialist2@central-a.demo': { why: 'specialist at the target facility, NOT invited',
    consultation: 404, listed: 404, patient: 404, attachments: 404, attachmentContent: 404,
    minutesGet: 404, minutesPut: 404, minutesSign: 404, pdf: 404, fhir: 404,
    session: 404, messages: 404, annotations: 404, join: 404 },
  'coordinator@central-b.demo': { why: 'coordinator at an unrelated central hospital',
    consultation: 404, listed: 404, patient: 404, attachments: 404, attachmentContent: 404,
    minutesGet: 404, minutesPut: 404, minutesSign: 404, pdf: 404, fhir: 404,
    session: 404, messages: 404, annotations: 404, join: 404 },
  'admin@caunoi.demo': { why: 'admin (no clinical access)',
    consultation: 404, listed: 404, patient: 404, attachments: 404, attachmentContent: 404,
    minutesGet: 404, minutesPut: 404, minutesSign: 404, pdf: 404, fhir: 404,
    session: 404, messages: 404, annotations: 404, join: 404 },
};

/**
 * Imaging hangs from the attachments: whoever may list a case's attachments may list its series,
 * the machine pre-reads of its images and its PACS imports — and nobody else.
 */
const LIKE_ATTACHMENTS = ['series', 'machineReadings', 'pacsImports'] as const;
type ImagingResource = (typeof LIKE_ATTACHMENTS)[number];

const RESOURCES = Object.keys(MATRIX['admin@caunoi.demo']).filter((k) => k !== 'why') as Resource[];
const CELLS = (Object.keys(MATRIX) as DemoEmail[]).flatMap((email) => [
  ...RESOURCES.map((resource) => [email, MATRIX[email].why, resource, MATRIX[email][resource]]),
  ...LIKE_ATTACHMENTS.map((resource) => [
    email,
    MATRIX[email].why,
    resource,
    MATRIX[email].attachments,
  ]),
]) as Array<[DemoEmail, string, Resource | ImagingResource, number]>;

describe('access matrix', () => {
  let t: TestApp;
  const keys = joinTokenKeys();
  let submitted: { id: string; patient: { id: string } };
  let draft: { id: string; patient: { id: string } };
  let attachmentId: string;
  let sessionId: string;
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  const minutes = () => ({
    summary: 'Ho kéo dài, sốt về chiều.',
    opinions: 'Nghĩ nhiều đến lao phổi.',
    conclusion: 'Theo dõi lao phổi.',
    recommendations: 'Xét nghiệm đờm.',
    chairId: t.userIds['specialist1@central-a.demo'],
    secretaryId: t.userIds['coordinator@central-a.demo'],
  });

  beforeAll(async () => {
    t = await startTestApp({ JOIN_TOKEN_PRIVATE_KEY: keys.privatePem });
    submitted = await submittedConsultation(t);
    draft = await draftConsultation(t);
    const c = submitted.id;
    await t
      .http()
      .post(`/api/consultations/${c}/accept`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    const upload = await t
      .http()
      .post(`/api/consultations/${c}/attachments`)
      .set(as('requester@district-1.demo'))
      .attach('file', chestXrayDicom(), 'x-quang.dcm')
      .expect(201);
    attachmentId = upload.body.id;
    const session = await t
      .http()
      .post('/api/sessions')
      .set(as('coordinator@central-a.demo'))
      .send({
        consultationIds: [c],
        participantIds: [
          'coordinator@central-a.demo',
          'specialist1@central-a.demo',
          'requester@district-1.demo',
        ].map((e) => t.userIds[e as DemoEmail]),
        startsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
        endsAt: new Date(Date.now() + 65 * 60_000).toISOString(),
      })
      .expect(201);
    sessionId = session.body.id;
    const put = await t
      .http()
      .put(`/api/consultations/${c}/minutes`)
      .set(as('specialist1@central-a.demo'))
      .send(minutes())
      .expect(200);
    await t
      .http()
      .post(`/api/consultations/${c}/minutes/sign`)
      .set(as('specialist1@central-a.demo'))
      .send({ version: put.body.version, revision: put.body.revision })
      .expect(200);
    // an open correction, so that the draft cells have a draft to act on
    await t
      .http()
      .put(`/api/consultations/${c}/minutes`)
      .set(as('specialist1@central-a.demo'))
      .send(minutes())
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  function call(resource: Resource | ImagingResource, email: DemoEmail): request.Test {
    const c = submitted.id;
    const http = t.http();
    const req = {
      consultation: () => http.get(`/api/consultations/${c}`),
      listed: () => http.get('/api/consultations').query({ limit: 200 }),
      patient: () => http.get(`/api/patients/${submitted.patient.id}`),
      attachments: () => http.get(`/api/consultations/${c}/attachments`),
      attachmentContent: () =>
        http.get(`/api/attachments/${attachmentId}/content`).buffer(true).parse(binaryParser),
      minutesGet: () => http.get(`/api/consultations/${c}/minutes`),
      minutesPut: () => http.put(`/api/consultations/${c}/minutes`).send(minutes()),
      minutesSign: () => http.post(`/api/consultations/${c}/minutes/sign`).send({ version: 99 }),
      pdf: () => http.get(`/api/consultations/${c}/minutes.pdf`).buffer(true).parse(binaryParser),
      fhir: () => http.get(`/api/consultations/${c}/fhir`),
      session: () => http.get(`/api/sessions/${sessionId}`),
      messages: () => http.get(`/api/sessions/${sessionId}/messages`),
      annotations: () => http.get(`/api/sessions/${sessionId}/annotations`).query({ attachmentId }),
      join: () => http.post(`/api/sessions/${sessionId}/join`),
      series: () => http.get(`/api/consultations/${c}/series`),
      machineReadings: () => http.get(`/api/attachments/${attachmentId}/machine-readings`),
      pacsImports: () => http.get(`/api/consultations/${c}/pacs-imports`),
    }[resource]();
    return req.set(as(email));
  }

  it.each(CELLS)('%s (%s) → %s %i', async (email, _why, resource, expected) => {
    const actor = t.userIds[email];
    const [{ last }] = await t.sql<{ last: string }>(
      `SELECT coalesce(max(id), 0)::text AS last FROM audit_events`,
    );
    const res = await call(resource, email);
    if (resource === 'listed') {
      expect(res.status).toBe(200);
      const listed = res.body.items.some((c: { id: string }) => c.id === submitted.id);
      expect(listed ? 200 : 404).toBe(expected);
    } else {
      expect(res.status).toBe(expected);
    }
    const rows = await t.sql<{ action: string; patient_id: string | null }>(
      `SELECT action, patient_id FROM audit_events WHERE id > $1 AND actor_id = $2`,
      [last, actor],
    );
    if (expected === 200) {
      // every allowed access to the case's data leaves a row naming the patient
      expect(rows.map((r) => r.patient_id)).toContain(submitted.patient.id);
    } else if (expected === 403 || (expected === 404 && resource !== 'listed')) {
      expect(rows.map((r) => r.action)).toContain('access.refused');
    }
  });

  // The same rule over the collaboration socket: entering the session (chat, shared view,
  // annotations) is for the participants; the organiser's REST view is not a seat in the room.
  const SOCKET: Array<[DemoEmail, boolean]> = [
    ['requester@district-1.demo', true],
    ['requester@commune-1.demo', false],
    ['coordinator@central-a.demo', true],
    ['specialist1@central-a.demo', true],
    ['specialist2@central-a.demo', false],
    ['coordinator@central-b.demo', false],
    ['admin@caunoi.demo', false],
  ];
  it.each(SOCKET)('%s → session:enter over /collab: %s', async (email, allowed) => {
    const socket = await collabClient(t.app, t.tokens[email]);
    try {
      const ack = await emit<{ messages: unknown[] }>(socket, COLLAB_CLIENT_EVENTS.enter, {
        sessionId,
      });
      if (allowed) expect(ack.ok).toBe(true);
      else expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
      const rows = await t.sql<{ action: string; patient_id: string | null }>(
        `SELECT action, patient_id FROM audit_events WHERE actor_id = $1 AND target_id = $2
          ORDER BY id DESC LIMIT 1`,
        [t.userIds[email], sessionId],
      );
      expect(rows[0]).toMatchObject(
        allowed
          ? { action: 'session.collab.enter', patient_id: submitted.patient.id }
          : { action: 'access.refused' },
      );
    } finally {
      socket.disconnect();
    }
  });

  it('a refusal is audited with the patient when the thing exists, and reads of the log show it', async () => {
    await t
      .http()
      .get(`/api/consultations/${submitted.id}`)
      .set(as('specialist2@central-a.demo'))
      .expect(404);
    const rows = await t.sql<{ action: string; target_id: string; patient_id: string }>(
      `SELECT action, target_id, patient_id FROM audit_events
        WHERE actor_id = $1 AND action = 'access.refused' AND target_type = 'consultation'
        ORDER BY id DESC LIMIT 1`,
      [t.userIds['specialist2@central-a.demo']],
    );
    expect(rows[0]).toMatchObject({ target_id: submitted.id, patient_id: submitted.patient.id });
  });

  it('a refusal by role (403 before any service runs) is audited too, without the query string', async () => {
    await t
      .http()
      .get('/api/audit')
      .query({ patientId: submitted.patient.id })
      .set(as('specialist2@central-a.demo'))
      .expect(403);
    const [row] = await t.sql<{ target_type: string; details: Record<string, unknown> }>(
      `SELECT target_type, details FROM audit_events WHERE actor_id = $1 AND action = 'access.refused'
        ORDER BY id DESC LIMIT 1`,
      [t.userIds['specialist2@central-a.demo']],
    );
    expect(row).toMatchObject({ target_type: 'route', details: { method: 'GET' } });
    expect(JSON.stringify(row.details)).not.toContain(submitted.patient.id);
  });

  it('a draft stays with the requesting site: the target side gets 404 until it is submitted', async () => {
    await t
      .http()
      .get(`/api/consultations/${draft.id}`)
      .set(as('coordinator@central-a.demo'))
      .expect(404);
    await t
      .http()
      .get(`/api/consultations/${draft.id}`)
      .set(as('requester@district-1.demo'))
      .expect(200);
  });

  it('coordinator@central-b.demo never sees district 1’s consultations in a list', async () => {
    const res = await t
      .http()
      .get('/api/consultations')
      .query({ limit: 200 })
      .set(as('coordinator@central-b.demo'))
      .expect(200);
    expect(
      res.body.items.filter(
        (c: { requestingFacility: { id: string } }) =>
          c.requestingFacility.id === t.facilityIds['TTYT-H1'],
      ),
    ).toEqual([]);
  });

  it('a user invited to a session covering the consultation may see it; cancelling the session ends that', async () => {
    const other = await submittedConsultation(t);
    const outsider = as('specialist2@central-a.demo');
    await t.http().get(`/api/consultations/${other.id}`).set(outsider).expect(404);
    const sid = await scheduleSession(t, other.id, [t.userIds['specialist2@central-a.demo']]);
    await t.http().get(`/api/consultations/${other.id}`).set(outsider).expect(200);
    await t.http().get(`/api/patients/${other.patient.id}`).set(outsider).expect(200);
    await t.sql(`UPDATE sessions SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [
      sid,
    ]);
    await t.http().get(`/api/consultations/${other.id}`).set(outsider).expect(404);
  });

  it('a specialist assigned to a case sees it (and lists it) without any session', async () => {
    const other = await submittedConsultation(t);
    const s2 = as('specialist2@central-a.demo');
    await t.http().get(`/api/consultations/${other.id}`).set(s2).expect(404);
    await t.sql(
      `INSERT INTO consultation_assignments (consultation_id, user_id, assigned_by) VALUES ($1, $2, $3)`,
      [other.id, t.userIds['specialist2@central-a.demo'], t.userIds['coordinator@central-a.demo']],
    );
    await t.http().get(`/api/consultations/${other.id}`).set(s2).expect(200);
    const list = await t
      .http()
      .get('/api/consultations')
      .query({ role: 'participant', limit: 200 })
      .set(s2)
      .expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(other.id);
  });

  it('what an invitation grants ends INVITATION_ACCESS_DAYS after the case is closed; the coordinator keeps it', async () => {
    const other = await submittedConsultation(t);
    const sid = await scheduleSession(t, other.id, [t.userIds['specialist2@central-a.demo']]);
    const s2 = as('specialist2@central-a.demo');
    await t.sql(
      `UPDATE consultations SET status = 'completed', closed_at = now() - interval '29 days' WHERE id = $1`,
      [other.id],
    );
    await t.http().get(`/api/consultations/${other.id}`).set(s2).expect(200);
    await t.http().get(`/api/sessions/${sid}/messages`).set(s2).expect(200);
    await t.sql(`UPDATE consultations SET closed_at = now() - interval '31 days' WHERE id = $1`, [
      other.id,
    ]);
    await t.http().get(`/api/consultations/${other.id}`).set(s2).expect(404);
    await t.http().get(`/api/patients/${other.patient.id}`).set(s2).expect(404);
    await t.http().get(`/api/sessions/${sid}`).set(s2).expect(404);
    await t.http().get(`/api/sessions/${sid}/messages`).set(s2).expect(404);
    await t
      .http()
      .get(`/api/consultations/${other.id}`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
  });

  it('closing a case records when: closed_at is set by the transition', async () => {
    const other = await submittedConsultation(t);
    await t
      .http()
      .post(`/api/consultations/${other.id}/decline`)
      .set(as('coordinator@central-a.demo'))
      .send({ reason: 'Không thuộc chuyên khoa' })
      .expect(200);
    const [row] = await t.sql<{ closed: boolean }>(
      `SELECT closed_at IS NOT NULL AND closed_at > now() - interval '1 minute' AS closed FROM consultations WHERE id = $1`,
      [other.id],
    );
    expect(row.closed).toBe(true);
  });

  it('another domain can widen access through an AccessPolicy extension', async () => {
    const shared = await submittedConsultation(t);
    const outsider = t.userIds['coordinator@central-b.demo'];
    await t
      .http()
      .get(`/api/consultations/${shared.id}`)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
    t.app
      .get(AccessPolicy)
      .registerExtension(
        async (user, consultationId) => user.id === outsider && consultationId === shared.id,
      );
    await t
      .http()
      .get(`/api/consultations/${shared.id}`)
      .set(as('coordinator@central-b.demo'))
      .expect(200);
    await t
      .http()
      .get(`/api/consultations/${submitted.id}`)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
  });

  it('an id that does not exist is the same 404 as one out of scope', async () => {
    const missing = await t
      .http()
      .get('/api/consultations/00000000-0000-4000-8000-000000000000')
      .set(as('coordinator@central-b.demo'))
      .expect(404);
    const hidden = await t
      .http()
      .get(`/api/consultations/${submitted.id}`)
      .set(as('coordinator@central-b.demo'))
      .expect(404);
    expect(hidden.body).toEqual(missing.body);
  });

  it('transitions by someone out of scope are 404, not 403', async () => {
    await t
      .http()
      .post(`/api/consultations/${submitted.id}/cancel`)
      .set(as('specialist2@central-a.demo'))
      .send({ reason: 'thử' })
      .expect(404);
  });
});
