import { bearer, TestApp } from './test-app';

/** A patient registered by district 1, with teleconsultation consent. */
export async function registerPatient(t: TestApp, overrides: Record<string, unknown> = {}) {
  const token = t.tokens['requester@district-1.demo'];
  const res = await t
    .http()
    .post('/api/patients')
    .set(bearer(token))
    .send({
      fullName: 'Nguyễn Thị Thử Nghiệm',
      dateOfBirth: '1960-02-29',
      sex: 'female',
      nationalId: '025160001111',
      ...overrides,
    })
    .expect(201);
  await t
    .http()
    .post(`/api/patients/${res.body.id}/consents`)
    .set(bearer(token))
    .send({ kind: 'teleconsultation', granted: true })
    .expect(201);
  return res.body as { id: string; fullName: string };
}

/** The body of a request from district 1 to central A; `overrides` set the fields under test. */
export function consultationBody(
  t: TestApp,
  patientId: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    patientId,
    targetFacilityId: t.facilityIds['BV-TW-A'],
    specialty: 'hô hấp',
    urgency: 'urgent',
    summary: 'Ho kéo dài, sốt về chiều, X-quang có đám mờ thùy trên phải.',
    question: 'Xin ý kiến chẩn đoán và hướng xử trí.',
    ...overrides,
  };
}

/** A draft request from district 1 to central A. */
export async function draftConsultation(t: TestApp, patientId?: string) {
  const pid = patientId ?? (await registerPatient(t)).id;
  const res = await t
    .http()
    .post('/api/consultations')
    .set(bearer(t.tokens['requester@district-1.demo']))
    .send(consultationBody(t, pid))
    .expect(201);
  return res.body as { id: string; status: string; patient: { id: string } };
}

export async function submittedConsultation(t: TestApp) {
  const c = await draftConsultation(t);
  await t
    .http()
    .post(`/api/consultations/${c.id}/submit`)
    .set(bearer(t.tokens['requester@district-1.demo']))
    .expect(200);
  return c;
}

/** Stands in for booking: a session covering the consultation, with participants and attendance. */
export async function scheduleSession(
  t: TestApp,
  consultationId: string,
  participants: string[],
  opts: { attended?: string[]; status?: string } = {},
) {
  const [s] = await t.sql<{ id: string }>(
    `INSERT INTO sessions (starts_at, ends_at, status, title) VALUES (now() - interval '10 minutes', now() + interval '50 minutes', $1, 'Hội chẩn thử') RETURNING id`,
    [opts.status ?? 'scheduled'],
  );
  await t.sql(`INSERT INTO session_consultations (session_id, consultation_id) VALUES ($1, $2)`, [
    s.id,
    consultationId,
  ]);
  for (const u of participants)
    await t.sql(`INSERT INTO session_participants (session_id, user_id) VALUES ($1, $2)`, [
      s.id,
      u,
    ]);
  for (const u of opts.attended ?? []) {
    await t.sql(
      `INSERT INTO attendance (session_id, user_id, joined_at) VALUES ($1, $2, now() - interval '5 minutes')`,
      [s.id, u],
    );
  }
  return s.id;
}
