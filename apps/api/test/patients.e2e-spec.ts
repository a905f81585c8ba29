import { registerPatient } from './support/fixtures';
import { bearer, startTestApp, TestApp } from './support/test-app';

describe('patients and consent', () => {
  let t: TestApp;
  const d1 = () => bearer(t.tokens['requester@district-1.demo']);
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers a patient at the requester’s facility and returns it with an id', async () => {
    const res = await t
      .http()
      .post('/api/patients')
      .set(d1())
      .send({
        fullName: 'Bùi Văn Khải',
        dateOfBirth: '1955-12-01',
        sex: 'male',
        nationalId: '025055009999',
        insuranceNumber: 'HT2250099988877',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      fullName: 'Bùi Văn Khải',
      facilityId: t.facilityIds['TTYT-H1'],
      nationalId: '025055009999',
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    [{ nationalId: '12345' }, 'nationalId'],
    [{ nationalId: '0250550099AB' }, 'nationalId'],
    [{ insuranceNumber: 'HT22500999' }, 'insuranceNumber'],
    [{ insuranceNumber: 'ht2250099988877' }, 'insuranceNumber'],
    [{ dateOfBirth: '01/02/1960' }, 'dateOfBirth'],
    [{ sex: 'unknown' }, 'sex'],
    [{ fullName: '' }, 'fullName'],
  ])('rejects %j with 400 naming %s', async (override, field) => {
    const res = await t
      .http()
      .post('/api/patients')
      .set(d1())
      .send({ fullName: 'Bùi Văn Khải', dateOfBirth: '1955-12-01', sex: 'male', ...override })
      .expect(400);
    expect(res.body.message).toContain(field);
    expect(res.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: field })]),
    );
  });

  it('only requesters register patients (403 for a coordinator)', async () => {
    await t
      .http()
      .post('/api/patients')
      .set(bearer(t.tokens['coordinator@central-a.demo']))
      .send({ fullName: 'Bùi Văn Khải', dateOfBirth: '1955-12-01', sex: 'male' })
      .expect(403);
  });

  it('records consent with who and when; the latest record counts', async () => {
    const p = await registerPatient(t);
    await t
      .http()
      .post(`/api/patients/${p.id}/consents`)
      .set(d1())
      .send({ kind: 'recording', granted: false })
      .expect(201);
    const res = await t.http().get(`/api/patients/${p.id}`).set(d1()).expect(200);
    expect(res.body.consents).toHaveLength(2);
    expect(res.body.consents[0]).toMatchObject({
      kind: 'teleconsultation',
      granted: true,
      recordedBy: { id: t.userIds['requester@district-1.demo'] },
    });
    expect(Date.parse(res.body.consents[0].recordedAt)).not.toBeNaN();
  });

  it('searches by name, national ID and card number within scope only', async () => {
    const p = await registerPatient(t, {
      fullName: 'Lý Thị Tìm Kiếm',
      nationalId: '025199123456',
      insuranceNumber: 'DN4250011112222',
    });
    const byName = await t
      .http()
      .get('/api/patients')
      .query({ q: 'Tìm Kiếm' })
      .set(d1())
      .expect(200);
    expect(byName.body.items.map((x: { id: string }) => x.id)).toEqual([p.id]);
    const byId = await t
      .http()
      .get('/api/patients')
      .query({ q: '025199123456' })
      .set(d1())
      .expect(200);
    expect(byId.body.items[0].id).toBe(p.id);
    const byCard = await t
      .http()
      .get('/api/patients')
      .query({ q: 'DN4250011112222' })
      .set(d1())
      .expect(200);
    expect(byCard.body.items[0].id).toBe(p.id);
    // the commune station does not see district 1's patients
    const other = await t
      .http()
      .get('/api/patients')
      .query({ q: 'Tìm Kiếm' })
      .set(bearer(t.tokens['requester@commune-1.demo']))
      .expect(200);
    expect(other.body).toEqual({ items: [] });
  });

  it('matches names without diacritics or case (đ as d), scope unchanged', async () => {
    const p = await registerPatient(t, { fullName: 'Trịnh Đức Ánh' });
    for (const q of ['trinh', 'TRINH duc', 'duc anh', 'Trịnh Đức', 'đuc']) {
      const res = await t.http().get('/api/patients').query({ q }).set(d1()).expect(200);
      expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([p.id]);
    }
    const other = await t
      .http()
      .get('/api/patients')
      .query({ q: 'trinh' })
      .set(bearer(t.tokens['requester@commune-1.demo']))
      .expect(200);
    expect(other.body).toEqual({ items: [] });
  });

  it('writes an audit row for reading a patient', async () => {
    const p = await registerPatient(t);
    await t.http().get(`/api/patients/${p.id}`).set(d1()).expect(200);
    const rows = await t.sql<{ actor_id: string; address: string }>(
      `SELECT actor_id, address FROM audit_events WHERE action = 'patient.read' AND patient_id = $1`,
      [p.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_id).toBe(t.userIds['requester@district-1.demo']);
    expect(rows[0].address).toMatch(/127\.0\.0\.1/);
  });

  it('consent is recorded only by the registering facility (403 for the target side)', async () => {
    // central A sees the seeded patients through their consultations but did not register them
    const [seeded] = await t.sql<{ id: string }>(
      `SELECT p.id FROM patients p JOIN consultations c ON c.patient_id = p.id WHERE c.status = 'submitted' LIMIT 1`,
    );
    await t
      .http()
      .post(`/api/patients/${seeded.id}/consents`)
      .set(bearer(t.tokens['specialist1@central-a.demo']))
      .send({ kind: 'recording', granted: true })
      .expect(403);
  });
});
