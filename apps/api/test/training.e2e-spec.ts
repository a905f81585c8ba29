import jwt from 'jsonwebtoken';
import { ATTENDANCE_CSV_COLUMNS, BookedSessionSchema, SESSION_KINDS } from '@caunoi/shared';
import { bearer, startTestApp, TestApp } from './support/test-app';
import { acceptedConsultations, coordinatorA, freshUser, joinTokenKeys } from './sessions-fixtures';

const MINUTE = 60_000;
const SERVICE_TOKEN = 'sfu-service-token-for-tests-0123456789';

describe('training sessions (tele-education)', () => {
  let t: TestApp;
  const keys = joinTokenKeys();
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const create = (body: Record<string, unknown>, headers = coordinatorA(t)) =>
    t.http().post('/api/sessions/training').set(headers).send(body);
  const claimsOf = (token: string) =>
    jwt.verify(token, keys.publicPem, { algorithms: ['ES256'] }) as jwt.JwtPayload;

  beforeAll(async () => {
    t = await startTestApp({
      JOIN_TOKEN_PRIVATE_KEY: keys.privatePem,
      SFU_SERVICE_TOKEN: SERVICE_TOKEN,
      SFU_PUBLIC_URL: 'https://sfu.example.test',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A lecture by a fresh presenter in 5 minutes, for district 1 and commune 1. */
  async function lecture(extra: Record<string, unknown> = {}) {
    const presenter = await freshUser(t, ['specialist'], 'BV-TW-A', 'PGS. Giảng Viên');
    const res = await create({
      title: 'Cập nhật xử trí đột quỵ',
      startsAt: at(5 * MINUTE),
      endsAt: at(65 * MINUTE),
      presenterId: presenter.id,
      facilityIds: [t.facilityIds['TTYT-H1'], t.facilityIds['TYT-X1']],
      ...extra,
    });
    return { presenter, res };
  }

  it('the kind vocabulary is consultation | training; consultations stay consultations', async () => {
    expect([...SESSION_KINDS]).toEqual(['consultation', 'training']);
    const [row] = await t.sql<{ kind: string }>(
      `SELECT column_default AS kind FROM information_schema.columns WHERE table_name = 'sessions' AND column_name = 'kind'`,
    );
    expect(row!.kind).toContain('consultation');
  });

  it('a coordinator creates one for invited sites: no consultation, everyone of those sites invited', async () => {
    const site = await freshUser(t, ['requester'], 'TTYT-H1', 'BS. Học Viên');
    const outsider = await freshUser(t, ['requester'], 'BVDK-PT', 'BS. Ngoài Danh Sách');
    const { presenter, res } = await lecture();
    expect(res.status).toBe(201);
    const body = BookedSessionSchema.parse(res.body);
    expect(body).toMatchObject({
      kind: 'training',
      presenterId: presenter.id,
      openToNetwork: false,
      consultations: [],
      status: 'scheduled',
    });
    expect(body.facilityIds.sort()).toEqual(
      [t.facilityIds['TTYT-H1'], t.facilityIds['TYT-X1']].sort(),
    );
    expect(body.participantIds).toEqual(expect.arrayContaining([presenter.id, site.id]));
    expect(body.participantIds).not.toContain(outsider.id);
    expect(body.participantIds).not.toContain(t.userIds['admin@caunoi.demo']);

    // The room's policy travels in the join token: the site listens, the presenter presents.
    const siteJoin = await t.http().post(`/api/sessions/${body.id}/join`).set(site.headers);
    expect(siteJoin.status).toBe(200);
    expect(claimsOf(siteJoin.body.token)).toMatchObject({ kind: 'training', presenter: false });
    const presenterJoin = await t
      .http()
      .post(`/api/sessions/${body.id}/join`)
      .set(presenter.headers)
      .expect(200);
    expect(claimsOf(presenterJoin.body.token)).toMatchObject({ kind: 'training', presenter: true });
    await t.http().post(`/api/sessions/${body.id}/join`).set(outsider.headers).expect(404);
  });

  it('open to the whole network: every facility is invited', async () => {
    const far = await freshUser(t, ['requester'], 'BVDK-DT', 'BS. Đồng Tháp');
    const { res } = await lecture({ openToNetwork: true, facilityIds: [] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ openToNetwork: true, facilityIds: [] });
    expect(res.body.participantIds).toContain(far.id);
  });

  it('refuses to link consultations or patients, and bad input names the field', async () => {
    const [cid] = await acceptedConsultations(t, 1);
    const linked = await lecture({ consultationIds: [cid] });
    expect(linked.res.status).toBe(400);
    expect(JSON.stringify(linked.res.body.details)).toContain('consultationIds');
    expect(linked.res.body.message).toContain('identifiable patient');
    const patient = await lecture({ patientIds: ['00000000-0000-4000-8000-000000000001'] });
    expect(patient.res.status).toBe(400);
    expect(JSON.stringify(patient.res.body.details)).toContain('patientIds');
    const nobody = await lecture({ facilityIds: [] });
    expect(nobody.res.status).toBe(400);
    expect(JSON.stringify(nobody.res.body.details)).toContain('facilityIds');
    const tooMany = await lecture({
      facilityIds: Array.from(
        { length: 51 },
        (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      ),
    });
    expect(tooMany.res.status).toBe(400);
    expect(JSON.stringify(tooMany.res.body.details)).toContain('facilityIds');
    const ghost = await lecture({ presenterId: '00000000-0000-4000-8000-0000000000ff' });
    expect(ghost.res.status).toBe(400);
    expect(JSON.stringify(ghost.res.body.details)).toContain('presenterId');
    // Only coordinators organise.
    const site = await freshUser(t, ['requester'], 'TTYT-H1');
    const byRequester = await create(
      {
        title: 'x',
        startsAt: at(MINUTE),
        endsAt: at(2 * MINUTE),
        presenterId: site.id,
        facilityIds: [t.facilityIds['TTYT-H1']],
      },
      site.headers,
    );
    expect(byRequester.status).toBe(403);
    // PostgreSQL itself refuses to cover a consultation with a training session.
    const { res } = await lecture();
    await expect(
      t.sql(`INSERT INTO session_consultations (session_id, consultation_id) VALUES ($1, $2)`, [
        res.body.id,
        cid,
      ]),
    ).rejects.toThrow(/training session covers no consultation/);
  });

  it('attendance per person as CSV: overlapping connections count once; only the organiser side and admins', async () => {
    const site = await freshUser(t, ['requester'], 'TTYT-H1', 'BS. Nguyễn Thị "Hoa"');
    const other = await freshUser(t, ['requester'], 'TYT-X1', '=Trạm Xã');
    const { presenter, res } = await lecture();
    const sessionId = res.body.id as string;
    const t0 = Date.now() - 60 * MINUTE;
    const iso = (m: number) => new Date(t0 + m * MINUTE).toISOString();
    const report = (userId: string, peerId: string, event: string, m: number) =>
      t
        .http()
        .post('/api/internal/attendance')
        .set(bearer(SERVICE_TOKEN))
        .send({ sessionId, userId, peerId, event, at: iso(m) })
        .expect(204);
    await report(presenter.id, 'p-1', 'joined', 0);
    await report(site.id, 's-1', 'joined', 0);
    await report(site.id, 's-2', 'joined', 10); // a second tab, overlapping: counted once
    await report(site.id, 's-1', 'left', 20);
    await report(site.id, 's-2', 'left', 30);
    await report(site.id, 's-3', 'joined', 40);
    await report(site.id, 's-3', 'left', 45);
    await report(other.id, 'o-1', 'joined', 5);
    await report(other.id, 'o-1', 'left', 17);
    await report(presenter.id, 'p-1', 'left', 50);

    const csv = await t
      .http()
      .get(`/api/sessions/${sessionId}/attendance.csv`)
      .set(coordinatorA(t))
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(ATTENDANCE_CSV_COLUMNS.join(','));
    const row = (name: string) => lines.find((l) => l.includes(name))!;
    expect(row('Hoa')).toBe(
      `TTYT-H1,Trung tâm Y tế huyện 1,"BS. Nguyễn Thị ""Hoa""",requester,${iso(0)},${iso(45)},3,35`,
    );
    // A name that a spreadsheet would run as a formula is written as text.
    expect(row('Trạm Xã')).toContain(",'=Trạm Xã,requester,");
    expect(row('Trạm Xã').endsWith(',1,12')).toBe(true);
    expect(row('Giảng Viên').endsWith(',1,50')).toBe(true);
    expect(lines).toHaveLength(4);

    await t
      .http()
      .get(`/api/sessions/${sessionId}/attendance.csv`)
      .set(bearer(t.tokens['admin@caunoi.demo']))
      .expect(200);
    // A participant sees the session but not the register; another facility's coordinator nothing.
    await t.http().get(`/api/sessions/${sessionId}/attendance.csv`).set(site.headers).expect(403);
    await t
      .http()
      .get(`/api/sessions/${sessionId}/attendance.csv`)
      .set(bearer(t.tokens['coordinator@central-b.demo']))
      .expect(404);
    const audit = await t.sql<{ action: string }>(
      `SELECT action FROM audit_events WHERE target_id = $1 AND action IN ('session.attendance.export', 'access.refused')`,
      [sessionId],
    );
    expect(audit.map((a) => a.action).sort()).toEqual([
      'access.refused',
      'access.refused',
      'session.attendance.export',
      'session.attendance.export',
    ]);
  });
});
