import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { bearer, TestApp } from './support/test-app';

/** An ES256 key pair as the launcher makes one: the API signs join tokens, the SFU verifies. */
export function joinTokenKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * `n` accepted requests from district 1 to central A, written straight to the database: the
 * race test needs a hundred and their lifecycle is tested elsewhere.
 */
export async function acceptedConsultations(t: TestApp, n: number): Promise<string[]> {
  const requester = t.userIds['requester@district-1.demo'];
  const [p] = await t.sql<{ id: string }>(
    `INSERT INTO patients (facility_id, full_name, date_of_birth, sex, created_by) VALUES ($1, 'Trần Văn Lịch', '1970-05-01', 'male', $2) RETURNING id`,
    [t.facilityIds['TTYT-H1'], requester],
  );
  const rows = await t.sql<{ id: string }>(
    `INSERT INTO consultations (patient_id, requesting_facility_id, requester_id, target_facility_id, specialty, urgency, summary, question, status, submitted_at)
     SELECT $1, $2, $3, $4, 'hô hấp', 'urgent', 'Ho kéo dài', 'Xin hội chẩn', 'accepted', now() FROM generate_series(1, $5::int) RETURNING id`,
    [p.id, t.facilityIds['TTYT-H1'], requester, t.facilityIds['BV-TW-A'], n],
  );
  return rows.map((r) => r.id);
}

export const coordinatorA = (t: TestApp) => bearer(t.tokens['coordinator@central-a.demo']);

/** Books a session as central A's coordinator; returns the response (status not asserted). */
export function bookSession(
  t: TestApp,
  body: {
    consultationIds: string[];
    participantIds: string[];
    facilityIds?: string[];
    startsAt: string;
    endsAt: string;
    title?: string;
  },
) {
  return t
    .http()
    .post('/api/sessions')
    .set(coordinatorA(t))
    .send({ facilityIds: [], ...body });
}

/** A Monday in the future, at a Vietnam wall-clock time (UTC+7). */
export function vietnamTime(date: string, hhmm: string): string {
  return new Date(`${date}T${hhmm}:00+07:00`).toISOString();
}

export const newId = () => randomUUID();

/**
 * A new user with their own calendar, so that tests near "now" do not collide with the demo
 * sessions or with each other. Created through the admin API, signed in through the login.
 */
export async function freshUser(
  t: TestApp,
  roles: string[],
  facilityCode: string,
  name = 'Bác sĩ Thử Nghiệm',
) {
  const email = `u-${randomUUID().slice(0, 8)}@test.demo`;
  const password = 'Test-password-2026';
  const created = await t
    .http()
    .post('/api/users')
    .set(bearer(t.tokens['admin@caunoi.demo']))
    .send({
      email,
      password,
      fullName: name,
      roles,
      facilityId: t.facilityIds[facilityCode],
      licenseNumber: `${randomUUID().slice(0, 6)}/BYT-CCHN`,
    });
  if (created.status !== 201)
    throw new Error(`create user: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await t.http().post('/api/auth/login').send({ email, password });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  return {
    id: created.body.id as string,
    token: login.body.accessToken as string,
    headers: bearer(login.body.accessToken),
  };
}
