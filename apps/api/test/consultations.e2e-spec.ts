import {
  CONSULTATION_STATUSES,
  CONSULTATION_TRANSITIONS,
  ConsultationStatus,
} from '@caunoi/shared';
import {
  consultationBody,
  draftConsultation,
  registerPatient,
  submittedConsultation,
} from './support/fixtures';
import { bearer, DemoEmail, startTestApp, TestApp } from './support/test-app';

describe('consultation requests and their lifecycle', () => {
  let t: TestApp;
  const as = (email: DemoEmail) => bearer(t.tokens[email]);
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('golden path steps 2–3: create as draft, submit, coordinator finds it in triage and accepts', async () => {
    const c = await draftConsultation(t);
    expect(c.status).toBe('draft');
    await t
      .http()
      .post(`/api/consultations/${c.id}/submit`)
      .set(as('requester@district-1.demo'))
      .expect(200);
    const queue = await t
      .http()
      .get('/api/consultations')
      .query({ role: 'target', status: 'submitted' })
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    expect(queue.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
    const accepted = await t
      .http()
      .post(`/api/consultations/${c.id}/accept`)
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    expect(accepted.body.status).toBe('accepted');
    expect(accepted.body.history.map((h: { to: string }) => h.to)).toEqual([
      'draft',
      'submitted',
      'accepted',
    ]);
    expect(accepted.body.history[2].actor.id).toBe(t.userIds['coordinator@central-a.demo']);
    expect(Date.parse(accepted.body.history[2].at)).not.toBeNaN();
  });

  it('triage queue orders emergency before urgent before routine', async () => {
    const res = await t
      .http()
      .get('/api/consultations')
      .query({ role: 'target' })
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    const rank = { emergency: 0, urgent: 1, routine: 2 } as const;
    const ranks = res.body.items.map((x: { urgency: keyof typeof rank }) => rank[x.urgency]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(res.body.total).toBeGreaterThan(0);
  });

  it('two coordinators accepting at once: exactly one wins, the other gets 409', async () => {
    const c = await submittedConsultation(t);
    const results = await Promise.all(
      [0, 1, 2, 3].map(() =>
        t.http().post(`/api/consultations/${c.id}/accept`).set(as('coordinator@central-a.demo')),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const history = await t.sql(
      `SELECT 1 FROM consultation_transitions WHERE consultation_id = $1 AND to_status = 'accepted'`,
      [c.id],
    );
    expect(history).toHaveLength(1);
  });

  it('declines with a reason, recorded in history', async () => {
    const c = await submittedConsultation(t);
    const res = await t
      .http()
      .post(`/api/consultations/${c.id}/decline`)
      .set(as('coordinator@central-a.demo'))
      .send({ reason: 'Ngoài phạm vi chuyên khoa' })
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'declined',
      statusReason: 'Ngoài phạm vi chuyên khoa',
    });
    expect(res.body.history.at(-1)).toMatchObject({
      from: 'submitted',
      to: 'declined',
      reason: 'Ngoài phạm vi chuyên khoa',
    });
  });

  it('decline and cancel without a reason are 400 naming reason', async () => {
    const c = await submittedConsultation(t);
    const res = await t
      .http()
      .post(`/api/consultations/${c.id}/decline`)
      .set(as('coordinator@central-a.demo'))
      .send({})
      .expect(400);
    expect(res.body.details[0].path).toBe('reason');
    await t
      .http()
      .post(`/api/consultations/${c.id}/cancel`)
      .set(as('requester@district-1.demo'))
      .send({ reason: '' })
      .expect(400);
  });

  it('the requester may cancel; the status and reason are kept', async () => {
    const c = await draftConsultation(t);
    const res = await t
      .http()
      .post(`/api/consultations/${c.id}/cancel`)
      .set(as('requester@district-1.demo'))
      .send({ reason: 'Bệnh nhân đã chuyển viện' })
      .expect(200);
    expect(res.body.status).toBe('cancelled');
  });

  it('only the target coordinator accepts (403 for the requester; 404 for a specialist not taking part)', async () => {
    const c = await submittedConsultation(t);
    await t
      .http()
      .post(`/api/consultations/${c.id}/accept`)
      .set(as('requester@district-1.demo'))
      .expect(403);
    // a specialist of the target facility sees a case only once assigned or invited
    await t
      .http()
      .post(`/api/consultations/${c.id}/accept`)
      .set(as('specialist1@central-a.demo'))
      .expect(404);
  });

  it('submitting without teleconsultation consent is refused with 400', async () => {
    const res = await t
      .http()
      .post('/api/patients')
      .set(as('requester@district-1.demo'))
      .send({ fullName: 'Chưa Đồng Ý', dateOfBirth: '1970-01-01', sex: 'male' })
      .expect(201);
    const c = await draftConsultation(t, res.body.id);
    const sub = await t
      .http()
      .post(`/api/consultations/${c.id}/submit`)
      .set(as('requester@district-1.demo'))
      .expect(400);
    expect(sub.body.message).toMatch(/consent/);
    expect(sub.body.details).toEqual([
      { path: 'patientId', message: expect.stringMatching(/consent/) },
    ]);
  });

  it('a request to a facility that does not support the requester is refused with 400 naming the supporters', async () => {
    const p = await registerPatient(t);
    const res = await t
      .http()
      .post('/api/consultations')
      .set(as('requester@district-1.demo'))
      .send(consultationBody(t, p.id, { targetFacilityId: t.facilityIds['BV-TW-B'] }))
      .expect(400);
    expect(res.body.message).toContain('Bệnh viện Trung ương B does not support your facility');
    expect(res.body.message).toContain('Bệnh viện Trung ương A');
    expect(res.body.details).toEqual([
      expect.objectContaining({
        path: 'targetFacilityId',
        supporters: expect.arrayContaining([
          expect.objectContaining({ name: 'Bệnh viện Trung ương A' }),
        ]),
      }),
    ]);
  });

  it('validates the create body, naming every bad field', async () => {
    const res = await t
      .http()
      .post('/api/consultations')
      .set(as('requester@district-1.demo'))
      .send({ patientId: 'x', urgency: 'soon' })
      .expect(400);
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'patientId',
        'targetFacilityId',
        'specialty',
        'urgency',
        'summary',
        'question',
      ]),
    );
  });

  it('validates list query parameters', async () => {
    const res = await t
      .http()
      .get('/api/consultations')
      .query({ status: 'done', limit: 0 })
      .set(as('coordinator@central-a.demo'))
      .expect(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'limit',
      'status',
    ]);
  });

  it('an empty filter is an absent one: SPEC writes GET /consultations?status=&urgency=&role=', async () => {
    const c = await submittedConsultation(t);
    const res = await t
      .http()
      .get('/api/consultations?status=submitted&urgency=&role=')
      .set(as('coordinator@central-a.demo'))
      .expect(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toContain(c.id);
    await t
      .http()
      .get('/api/consultations?status=&urgency=&role=')
      .set(as('coordinator@central-a.demo'))
      .expect(200);
  });

  it('a request without a body names the missing field (cancel without a body → 400 naming reason)', async () => {
    const c = await submittedConsultation(t);
    const res = await t
      .http()
      .post(`/api/consultations/${c.id}/cancel`)
      .set(as('requester@district-1.demo'))
      .expect(400);
    expect(res.body.details[0].path).toBe('reason');
  });

  describe('every illegal transition is 409 naming the allowed ones', () => {
    const ACTIONS = {
      submit: 'submitted',
      accept: 'accepted',
      decline: 'declined',
      cancel: 'cancelled',
    } as const;
    const legal = (from: ConsultationStatus, action: keyof typeof ACTIONS) =>
      action === 'accept'
        ? from === 'submitted'
        : CONSULTATION_TRANSITIONS[from].includes(ACTIONS[action]);
    const cases = CONSULTATION_STATUSES.flatMap((from) =>
      (Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>)
        .filter((a) => !legal(from, a))
        .map((a) => [from, a] as const),
    );

    it.each(cases)('from %s, %s → 409', async (from, action) => {
      // the seed holds one request in every state; its requesting site can see each of them
      const [row] = await t.sql<{ id: string; code: string }>(
        `SELECT c.id, f.code FROM consultations c JOIN facilities f ON f.id = c.requesting_facility_id
          WHERE c.status = $1 ORDER BY c.created_at LIMIT 1`,
        [from],
      );
      expect(row).toBeDefined();
      const who: DemoEmail =
        row.code === 'TYT-X1' ? 'requester@commune-1.demo' : 'requester@district-1.demo';
      const res = await t
        .http()
        .post(`/api/consultations/${row.id}/${action}`)
        .set(as(who))
        .send({ reason: 'Lý do thử nghiệm' })
        .expect(409);
      expect(res.body.details).toEqual({
        from,
        to: ACTIONS[action],
        allowed: [...CONSULTATION_TRANSITIONS[from]],
      });
      expect(res.body.message).toContain(from);
      const [after] = await t.sql<{ status: string }>(
        `SELECT status FROM consultations WHERE id = $1`,
        [row.id],
      );
      expect(after.status).toBe(from);
    });
  });
});
